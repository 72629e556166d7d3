//! The factory ledger (pallet-energy-trading): register, mint, consume, transfer and trade
//! energy, and every query of the pallet.

use crate::{
	keys::Signer,
	runtime::{self, energy_trading::events},
	views::{EnergyType, FactoryView, RatingView, TradeTermsView, TradeView},
	AccountId, Balance, Created, EnergyClient, EnergyWh, Error, FactoryId, TradeId, TxOutcome,
};

/// The most records one query page returns (the runtime caps pages at 100 too).
pub(crate) const PAGE: u32 = 100;

/// Every record of a paged runtime-API query: asks for pages of `PAGE` after the last record
/// of the previous page (by `cursor`) until a short page, then sorts by `sort_key`.
pub(crate) async fn all_pages<T, C, K: Ord, Fut>(
	mut page: impl FnMut(Option<C>) -> Fut,
	cursor: impl Fn(&T) -> C,
	sort_key: impl Fn(&T) -> K,
) -> Result<Vec<T>, Error>
where
	Fut: std::future::Future<Output = Result<Vec<T>, Error>>,
{
	let mut all: Vec<T> = Vec::new();
	loop {
		let next = page(all.last().map(&cursor)).await?;
		let done = (next.len() as u32) < PAGE;
		all.extend(next);
		if done {
			all.sort_by_key(|record| sort_key(record));
			return Ok(all);
		}
	}
}

/// A factory to register (see [`EnergyClient::register_factory`]).
#[derive(Clone, Debug)]
pub struct NewFactory {
	/// Its unique id, e.g. `Factory21` (1 to 32 bytes).
	pub id: FactoryId,
	/// Its display name (at most 64 bytes).
	pub name: String,
	/// What it produces.
	pub energy_type: EnergyType,
	/// Who owns it.
	pub owner: AccountId,
	/// Who reports its generation; `None` makes it the owner.
	pub meter: Option<AccountId>,
	/// Its rated peak power, in W: its meter may report at most a day's production at this
	/// power at once (the allowance refills as time passes).
	pub rated_power_w: u32,
	/// The energy it starts with, in Wh.
	pub initial_energy_wh: EnergyWh,
}

/// A bilateral trade to offer (see [`EnergyClient::create_trade`]).
#[derive(Clone, Debug)]
pub struct NewTrade {
	/// The selling factory, the signer's.
	pub seller: FactoryId,
	/// The buying factory.
	pub buyer: FactoryId,
	/// The energy, in Wh; it goes into escrow.
	pub energy_wh: EnergyWh,
	/// The price of one kWh, in plancks.
	pub price_per_kwh: Balance,
}

/// A meter's report: the write, and the factory's balance after it.
#[derive(Clone, Debug)]
pub struct MeterReport {
	/// The write.
	pub outcome: TxOutcome,
	/// The factory's energy afterwards, in Wh.
	pub balance_wh: EnergyWh,
}

/// An executed trade: the write, and what the buyer paid.
#[derive(Clone, Debug)]
pub struct TradeSettled {
	/// The write.
	pub outcome: TxOutcome,
	/// What the buyer paid, in plancks.
	pub paid: Balance,
}

impl EnergyClient {
	/// Registers a factory. Factories are registered by Root: `sudo` must be the sudo key
	/// (`//Alice` on the dev chain). Fails with `EnergyTrading::FactoryAlreadyExists` and the
	/// like, by name.
	pub async fn register_factory(
		&self,
		sudo: &Signer,
		factory: NewFactory,
	) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::pallet_energy_trading::pallet::Call;
		let call = runtime::runtime_types::energy_runtime::RuntimeCall::EnergyTrading(
			Call::register_factory {
				id: factory.id.as_str().as_bytes().to_vec(),
				name: factory.name.into_bytes(),
				energy_type: factory.energy_type,
				owner: factory.owner,
				meter: factory.meter,
				rated_power_w: factory.rated_power_w,
				initial_energy_wh: factory.initial_energy_wh,
			},
		);
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::FactoryRegistered>("the registration")?;
		Ok(outcome)
	}

	/// Makes `meter` the account that reports `factory`'s generation: the registrar's act, so
	/// `sudo` must be the sudo key (an owner asks with [`Self::request_meter`]).
	pub async fn set_meter(
		&self,
		sudo: &Signer,
		factory: &FactoryId,
		meter: AccountId,
	) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::pallet_energy_trading::pallet::Call;
		let call =
			runtime::runtime_types::energy_runtime::RuntimeCall::EnergyTrading(Call::set_meter {
				factory_id: factory.encoded(),
				meter,
			});
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::MeterChanged>("the meter change")?;
		Ok(outcome)
	}

	/// Asks the registrar to make `meter` `factory`'s meter. Signed by the owner; the request
	/// stays until the registrar sets a meter ([`Self::meter_request`]).
	pub async fn request_meter(
		&self,
		owner: &Signer,
		factory: &FactoryId,
		meter: AccountId,
	) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_trading().request_meter(factory.encoded(), meter);
		let outcome = self.submit(owner, call).await?;
		outcome.expect_event::<events::MeterRequested>("the meter request")?;
		Ok(outcome)
	}

	/// Rates `factory` at `rated_power_w` W: the registrar's act, so `sudo` must be the sudo
	/// key. The allowance earned so far is kept, up to a day at the new rating.
	pub async fn set_rated_power(
		&self,
		sudo: &Signer,
		factory: &FactoryId,
		rated_power_w: u32,
	) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::pallet_energy_trading::pallet::Call;
		let call = runtime::runtime_types::energy_runtime::RuntimeCall::EnergyTrading(
			Call::set_rated_power { factory_id: factory.encoded(), rated_power_w },
		);
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::RatedPowerChanged>("the rating")?;
		Ok(outcome)
	}

	/// Reports `energy_wh` generated by `factory`. Signed by its meter.
	pub async fn mint_energy(
		&self,
		meter: &Signer,
		factory: &FactoryId,
		energy_wh: EnergyWh,
	) -> Result<MeterReport, Error> {
		let call = runtime::tx().energy_trading().mint_energy(factory.encoded(), energy_wh);
		let outcome = self.submit(meter, call).await?;
		let minted = outcome.expect_event::<events::EnergyMinted>("the minted energy")?;
		Ok(MeterReport { balance_wh: minted.balance_wh, outcome })
	}

	/// Reports `energy_wh` consumed by `factory`, which is burned. Signed by its meter.
	pub async fn consume_energy(
		&self,
		meter: &Signer,
		factory: &FactoryId,
		energy_wh: EnergyWh,
	) -> Result<MeterReport, Error> {
		let call = runtime::tx().energy_trading().consume_energy(factory.encoded(), energy_wh);
		let outcome = self.submit(meter, call).await?;
		let consumed = outcome.expect_event::<events::EnergyConsumed>("the consumed energy")?;
		Ok(MeterReport { balance_wh: consumed.balance_wh, outcome })
	}

	/// Moves `energy_wh` from `from` to `to` without payment. Signed by `from`'s owner.
	pub async fn transfer_energy(
		&self,
		owner: &Signer,
		from: &FactoryId,
		to: &FactoryId,
		energy_wh: EnergyWh,
	) -> Result<TxOutcome, Error> {
		let call =
			runtime::tx().energy_trading().transfer_energy(from.encoded(), to.encoded(), energy_wh);
		let outcome = self.submit(owner, call).await?;
		outcome.expect_event::<events::EnergyTransferred>("the transfer")?;
		Ok(outcome)
	}

	/// Offers energy of the seller factory to the buyer factory; the energy goes into escrow.
	/// Signed by the seller's owner. Returns the new trade's id.
	pub async fn create_trade(
		&self,
		owner: &Signer,
		trade: NewTrade,
	) -> Result<Created<TradeId>, Error> {
		let call = runtime::tx().energy_trading().create_trade(
			trade.seller.encoded(),
			trade.buyer.encoded(),
			trade.energy_wh,
			trade.price_per_kwh,
		);
		let outcome = self.submit(owner, call).await?;
		let created = outcome.expect_event::<events::TradeCreated>("the new trade")?;
		Ok(Created { id: TradeId(created.trade_id), outcome })
	}

	/// Pays for a pending trade and receives its energy, paying at most `max_total_price`
	/// (plancks). Signed by the buyer factory's owner.
	pub async fn execute_trade(
		&self,
		buyer_owner: &Signer,
		trade_id: TradeId,
		max_total_price: Balance,
	) -> Result<TradeSettled, Error> {
		let call = runtime::tx().energy_trading().execute_trade(trade_id.0, max_total_price);
		let outcome = self.submit(buyer_owner, call).await?;
		let executed = outcome.expect_event::<events::TradeExecuted>("the executed trade")?;
		Ok(TradeSettled { paid: executed.total_price, outcome })
	}

	/// Cancels (seller) or rejects (buyer) a pending trade; the energy returns to the seller.
	pub async fn cancel_trade(
		&self,
		party: &Signer,
		trade_id: TradeId,
	) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_trading().cancel_trade(trade_id.0);
		let outcome = self.submit(party, call).await?;
		outcome.expect_event::<events::TradeCancelled>("the cancelled trade")?;
		Ok(outcome)
	}

	/// A factory, or `None` if no factory has this id.
	pub async fn factory(&self, id: &FactoryId) -> Result<Option<FactoryView>, Error> {
		let call = runtime::runtime_apis().energy_trading_api().factory(id.encoded());
		Ok(self.runtime_api(call).await?.map(FactoryView::from))
	}

	/// A factory's energy in Wh; `NotFound` if no factory has this id.
	pub async fn energy_balance(&self, id: &FactoryId) -> Result<EnergyWh, Error> {
		let call = runtime::runtime_apis().energy_trading_api().energy_balance(id.encoded());
		self.runtime_api(call).await?.ok_or_else(|| Error::NotFound(format!("factory {id}")))
	}

	/// One page of factories, in the chain's storage order, after `start_after` (a factory of
	/// the previous page).
	pub async fn factories_page(
		&self,
		start_after: Option<&FactoryId>,
		limit: u32,
	) -> Result<Vec<FactoryView>, Error> {
		let call = runtime::runtime_apis()
			.energy_trading_api()
			.factories(start_after.map(FactoryId::encoded), limit.min(PAGE));
		Ok(self.runtime_api(call).await?.into_iter().map(FactoryView::from).collect())
	}

	/// Every factory (page by page), sorted by id.
	pub async fn all_factories(&self) -> Result<Vec<FactoryView>, Error> {
		all_pages(
			|after: Option<FactoryId>| async move { self.factories_page(after.as_ref(), PAGE).await },
			|factory: &FactoryView| factory.id.clone(),
			|factory| factory.id.clone(),
		)
		.await
	}

	/// Every factory an account owns (page by page), sorted by id.
	pub async fn owner_factories(&self, who: &AccountId) -> Result<Vec<FactoryView>, Error> {
		let page = |after: Option<FactoryId>| async move {
			let call = runtime::runtime_apis().energy_trading_api().owner_factories(
				*who,
				after.as_ref().map(FactoryId::encoded),
				PAGE,
			);
			Ok(self.runtime_api(call).await?.into_iter().map(FactoryView::from).collect())
		};
		all_pages(page, |factory: &FactoryView| factory.id.clone(), |factory| factory.id.clone())
			.await
	}

	/// A trade, or `None`.
	pub async fn trade(&self, trade_id: TradeId) -> Result<Option<TradeView>, Error> {
		let call = runtime::runtime_apis().energy_trading_api().trade(trade_id.0);
		Ok(self.runtime_api(call).await?.map(TradeView::from))
	}

	/// What a trade costs to keep and how long a finished one is kept: the deposit a pending
	/// trade holds from its creator, the most pending trades a factory may open as seller, and
	/// the blocks an executed or cancelled trade stays readable.
	pub async fn trade_terms(&self) -> Result<TradeTermsView, Error> {
		let at = self.at_query_block().await?;
		let constants = runtime::constants().energy_trading();
		Ok(TradeTermsView {
			deposit: at.constants().entry(constants.trade_deposit())?,
			max_pending: at.constants().entry(constants.max_pending_trades())?,
			retention_blocks: at.constants().entry(constants.trade_retention())?,
		})
	}

	/// Every trade a factory sold or bought in (page by page), sorted by id: its pending trades
	/// and those that finished within the trade retention (older ones are in its history).
	pub async fn trades_of_factory(&self, id: &FactoryId) -> Result<Vec<TradeView>, Error> {
		let page = |after: Option<TradeId>| async move {
			let call = runtime::runtime_apis().energy_trading_api().trades_of_factory(
				id.encoded(),
				after.map(|trade| trade.0),
				PAGE,
			);
			Ok(self.runtime_api(call).await?.into_iter().map(TradeView::from).collect())
		};
		all_pages(page, |trade: &TradeView| trade.id, |trade| trade.id).await
	}

	/// A factory's rated power and what its meter may report as generated now, or `None` if no
	/// factory has this id.
	pub async fn factory_rating(&self, id: &FactoryId) -> Result<Option<RatingView>, Error> {
		let call = runtime::runtime_apis().energy_trading_api().factory_rating(id.encoded());
		Ok(self.runtime_api(call).await?.map(RatingView::from))
	}

	/// The meter `factory`'s owner asked the registrar for, if a request is pending.
	pub async fn meter_request(&self, factory: &FactoryId) -> Result<Option<AccountId>, Error> {
		let at = self.at_query_block().await?;
		let request = at
			.storage()
			.try_fetch(runtime::storage().energy_trading().meter_requests(), (factory.encoded(),))
			.await?;
		Ok(match request {
			Some(value) => Some(value.decode()?),
			None => None,
		})
	}

	/// An account's free balance, in plancks.
	pub async fn free_balance(&self, who: &AccountId) -> Result<Balance, Error> {
		let at = self.at_query_block().await?;
		let account = at.storage().fetch(runtime::storage().system().account(), (*who,)).await?;
		Ok(account.decode()?.data.free)
	}
}
