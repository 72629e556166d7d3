//! `energy-cli`: every operation of Energy Chain's factory ledger and energy-bus market from the
//! command line, on top of the `energy-client` library. `energy-cli --help` explains it.

mod args;
mod auction;
mod bus;
mod factory;
mod market;
mod offer;
mod output;
mod trade;
mod watch;

use std::process::ExitCode;

use clap::Parser;
use energy_client::{keys, EnergyClient, Error, WaitFor};

use args::{Cli, Command, TxCmd};
use output::Output;

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let out = Output { json: cli.json };
	match run(cli, out).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			if out.json {
				println!("{}", output::error_json(&error));
			} else {
				eprintln!("error: {error}");
			}
			ExitCode::from(output::exit_code(&error) as u8)
		},
	}
}

/// The signer from `--suri`, `--suri-file` or `ENERGY_SURI`.
pub(crate) fn signer(cli: &Cli) -> Result<keys::Signer, Error> {
	match (&cli.suri, &cli.suri_file) {
		(Some(suri), _) => keys::signer(suri),
		(None, Some(path)) => keys::signer_from_file(path),
		(None, None) => Err(Error::BadKey(
			"this command signs a transaction: pass --suri //Alice (or --suri-file, or set \
			 ENERGY_SURI)"
				.into(),
		)),
	}
}

/// The given account, or the signer's.
pub(crate) fn account_or_signer(
	cli: &Cli,
	account: &Option<String>,
) -> Result<energy_client::AccountId, Error> {
	match account {
		Some(text) => keys::account(text),
		None => signer(cli).map(|signer| keys::account_of(&signer)),
	}
}

async fn run(cli: Cli, out: Output) -> Result<(), Error> {
	let spinner = out.spinner();
	let mut client = EnergyClient::connect(&cli.url).await?;
	if cli.finalized {
		client = client.wait_for(WaitFor::Finalized);
	}
	if let Some(bar) = spinner.clone() {
		client =
			client.on_progress(move |progress| bar.set_message(output::progress_message(progress)));
	}
	let result = dispatch(&cli, &client, out).await;
	if let Some(bar) = spinner {
		bar.finish_and_clear();
	}
	result
}
/// Runs the command: each group in its own module (the library's layout), rendering in
/// `output`.
async fn dispatch(cli: &Cli, client: &EnergyClient, out: Output) -> Result<(), Error> {
	match &cli.command {
		Command::Factory(command) => factory::run(cli, client, out, command).await,
		Command::Trade(command) => trade::run(cli, client, out, command).await,
		Command::Bus(command) => bus::run(cli, client, out, command).await,
		Command::Offer(command) => offer::run(cli, client, out, command).await,
		Command::Auction(command) => auction::run(cli, client, out, command).await,
		Command::Buy(buy) => market::buy(cli, client, out, buy).await,
		Command::BatchBuy(batch) => market::batch_buy(cli, client, out, batch).await,
		Command::Lock(lock) => market::lock(cli, client, out, lock).await,
		Command::Unlock { lock_id } => market::unlock(cli, client, out, lock_id).await,
		Command::Tx(TxCmd::Processed { receipt }) => market::processed(client, out, receipt).await,
		Command::Nonce { account } => market::nonce_of(cli, client, out, account).await,
		Command::Purchases { account } => market::purchases(cli, client, out, account).await,
		Command::Watch(watch) => watch::run(client, out, watch).await,
	}
}
