//! The connection to a node, and how every write is signed, submitted and followed.

use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
};

use subxt::{
	backend::LegacyBackend,
	client::OnlineClientAtBlock,
	config::{DefaultExtrinsicParamsBuilder, RpcConfigFor},
	error::{DispatchError, TransactionEventsError},
	events::DecodeAsEvent,
	extrinsics::ExtrinsicEvents,
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, TransactionStatus},
	OnlineClient,
};

use crate::{
	keys::{self, Signer},
	runtime::{self, runtime_types},
	views::{self, EventView},
	ChainConfig, Error, Hash,
};

/// How long a transaction stays valid, in blocks from the last finalized one.
const MORTALITY_BLOCKS: u64 = 64;

/// When a write counts as done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WaitFor {
	/// When a block that includes it is imported as the best block (about 6 s).
	#[default]
	InBlock,
	/// When that block is finalized by GRANDPA (a block or two later).
	Finalized,
}

/// A stage of a write, reported to the progress callback (see [`EnergyClient::on_progress`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
	/// Signed and sent to the node.
	Submitted {
		/// The extrinsic's hash.
		extrinsic_hash: Hash,
	},
	/// The node's pool accepted it; it waits for a block.
	InPool,
	/// It is in a best block; waiting for finality.
	InBlock {
		/// That block.
		block_hash: Hash,
	},
}

/// A write that went through: where it was included and what it did.
#[derive(Clone, Debug)]
pub struct TxOutcome {
	/// The extrinsic's hash.
	pub extrinsic_hash: Hash,
	/// The block that includes it.
	pub block_hash: Hash,
	/// That block's number.
	pub block_number: u64,
	/// Whether that block was finalized when the write returned.
	pub finalized: bool,
	/// Its events, decoded (pallet, name, fields).
	pub events: Vec<EventView>,
	raw: Arc<ExtrinsicEvents<ChainConfig>>,
}

impl TxOutcome {
	/// This write's events of type `E`, decoded into the types generated from the metadata,
	/// e.g. `runtime::energy_trading::events::TradeCreated`. An event that does not decode is an
	/// error that says the write went through (so that nobody sends it again).
	pub fn find<E: DecodeAsEvent>(&self) -> Result<Vec<E>, Error> {
		self.raw.find::<E>().collect::<Result<_, _>>().map_err(|error| {
			Error::Invalid(format!(
				"the write went through (extrinsic {:?} in block #{}), but its events do not \
				 decode as this client expects ({error}): is the client older than the runtime?",
				self.extrinsic_hash, self.block_number
			))
		})
	}

	/// This write's first event of type `E`, if it has one.
	pub fn find_first<E: DecodeAsEvent>(&self) -> Result<Option<E>, Error> {
		Ok(self.find::<E>()?.into_iter().next())
	}

	/// This write's first event of type `E`, or an error saying it is missing.
	pub(crate) fn expect_event<E: DecodeAsEvent>(&self, what: &str) -> Result<E, Error> {
		self.find_first::<E>()?.ok_or_else(|| {
			Error::Invalid(format!(
				"the write went through (extrinsic {:?} in block #{}), but the chain did not \
				 report {what} (an event is missing)",
				self.extrinsic_hash, self.block_number
			))
		})
	}
}

/// A write that created something: the write, and the new thing's id.
#[derive(Clone, Debug)]
pub struct Created<Id> {
	/// The write.
	pub outcome: TxOutcome,
	/// The id the chain gave it.
	pub id: Id,
}

/// A block: its hash and number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockRef {
	/// Its hash.
	pub hash: Hash,
	/// Its number.
	pub number: u64,
}

/// The nonces this client handed out last, per account, so that concurrent writes from one
/// account never reuse one before the node has seen the earlier write.
#[derive(Default)]
struct NonceCache {
	/// The next account (system) nonce.
	next_tx: Option<u64>,
	/// The next market nonce (energy-bus buying calls).
	next_market: Option<u64>,
}

/// The market nonce a write carries: none (every call but the energy-bus buying calls), the
/// account's next one ([`crate::NonceChoice::Next`]), or exactly the one given
/// ([`crate::NonceChoice::Exactly`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MarketNonceUse {
	Without,
	Next,
	Exactly(u64),
}

impl From<crate::NonceChoice> for MarketNonceUse {
	fn from(choice: crate::NonceChoice) -> Self {
		match choice {
			crate::NonceChoice::Next => MarketNonceUse::Next,
			crate::NonceChoice::Exactly(nonce) => MarketNonceUse::Exactly(nonce),
		}
	}
}

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Each account's nonce bookkeeping, behind its own lock.
type NonceCaches = Arc<Mutex<BTreeMap<[u8; 32], Arc<tokio::sync::Mutex<NonceCache>>>>>;

/// A connection to an Energy Chain node.
///
/// Cheap to clone; clones share the connection and the nonce bookkeeping.
#[derive(Clone)]
pub struct EnergyClient {
	pub(crate) api: OnlineClient<ChainConfig>,
	pub(crate) rpc: RpcClient,
	legacy: LegacyRpcMethods<RpcConfigFor<ChainConfig>>,
	url: String,
	wait: WaitFor,
	nonces: NonceCaches,
	progress: Option<ProgressFn>,
	/// The block queries read, when pinned with [`EnergyClient::at_block`]; the best block
	/// otherwise.
	pinned: Option<Hash>,
}

impl EnergyClient {
	/// Connects to a node's JSON-RPC endpoint, e.g. `ws://127.0.0.1:9944`.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let unreachable = |reason: String| Error::Unreachable { url: url.to_string(), reason };
		let rpc =
			RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
		let backend = LegacyBackend::<ChainConfig>::builder().build(rpc.clone());
		let api = OnlineClient::<ChainConfig>::from_backend(Arc::new(backend))
			.await
			.map_err(|e| unreachable(e.to_string()))?;
		let legacy = LegacyRpcMethods::new(rpc.clone());
		Ok(Self {
			api,
			rpc,
			legacy,
			url: url.to_string(),
			wait: WaitFor::default(),
			nonces: Default::default(),
			progress: None,
			pinned: None,
		})
	}

	/// The URL this client is connected to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Makes writes wait for `wait` (inclusion by default, or finality).
	pub fn wait_for(mut self, wait: WaitFor) -> Self {
		self.wait = wait;
		self
	}

	/// Calls `report` at each stage of every write (submitted, in pool, in block), e.g. to
	/// drive a spinner.
	pub fn on_progress(mut self, report: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
		self.progress = Some(Arc::new(report));
		self
	}

	/// A client whose queries read the state at block `hash` rather than at the best block,
	/// e.g. to compare what several nodes hold at one finalized block. It shares this client's
	/// connection, and cannot write: its writes fail with [`Error::Invalid`].
	pub fn at_block(&self, hash: Hash) -> Self {
		Self { pinned: Some(hash), ..self.clone() }
	}

	/// The subxt client underneath, for anything this API does not cover.
	pub fn subxt(&self) -> &OnlineClient<ChainConfig> {
		&self.api
	}

	/// The raw JSON-RPC client (the node's `energy_*` methods, for example).
	pub fn rpc(&self) -> &RpcClient {
		&self.rpc
	}

	/// The best block.
	pub async fn best_block(&self) -> Result<BlockRef, Error> {
		let missing = || Error::NotFound("the best block".into());
		let hash = self.legacy.chain_get_block_hash(None).await?.ok_or_else(missing)?;
		let header = self.legacy.chain_get_header(Some(hash)).await?.ok_or_else(missing)?;
		Ok(BlockRef { hash, number: header.number })
	}

	/// The number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u64, Error> {
		Ok(self.finalized_block().await?.number)
	}

	/// The last finalized block.
	pub async fn finalized_block(&self) -> Result<BlockRef, Error> {
		let hash = self.legacy.chain_get_finalized_head().await?;
		Ok(BlockRef { hash, number: self.header(hash).await?.number })
	}

	/// The hash of this node's block `number` on its best chain, or `None` if it has none yet.
	pub async fn block_hash(&self, number: u64) -> Result<Option<Hash>, Error> {
		Ok(self.legacy.chain_get_block_hash(Some(number.into())).await?)
	}

	/// The state root of block `hash`: two nodes with equal roots hold identical state.
	pub async fn state_root(&self, hash: Hash) -> Result<Hash, Error> {
		Ok(self.header(hash).await?.state_root)
	}

	async fn header(&self, hash: Hash) -> Result<<ChainConfig as subxt::Config>::Header, Error> {
		self.legacy
			.chain_get_header(Some(hash))
			.await?
			.ok_or_else(|| Error::NotFound(format!("block {hash:?}")))
	}

	/// The chain at the block queries read: the pinned block (see [`EnergyClient::at_block`]),
	/// or the best block, so that queries see every included write.
	pub(crate) async fn at_query_block(&self) -> Result<OnlineClientAtBlock<ChainConfig>, Error> {
		let (hash, number) = match self.pinned {
			Some(hash) => (hash, self.header(hash).await?.number),
			None => {
				let best = self.best_block().await?;
				(best.hash, best.number)
			},
		};
		Ok(self.api.at_block_hash_and_number(hash, number).await?)
	}

	/// Calls a runtime API at the block queries read.
	pub(crate) async fn runtime_api<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> Result<P::ReturnType, Error> {
		let at = self.at_query_block().await?;
		Ok(at.runtime_apis().call(payload).await?)
	}

	fn nonce_cache(&self, signer: &Signer) -> Arc<tokio::sync::Mutex<NonceCache>> {
		let account = keys::account_of(signer).0;
		let mut caches = self.nonces.lock().expect("the nonce map is never poisoned");
		caches.entry(account).or_default().clone()
	}

	fn report(&self, progress: Progress) {
		if let Some(report) = &self.progress {
			report(&progress);
		}
	}

	/// Signs any call generated from the metadata (`runtime::tx()...`, e.g. a balance transfer
	/// or a `utility.batch_all`) with `signer`'s next nonce, and waits for it (see [`WaitFor`]).
	/// Dispatch errors, also those of calls run through sudo, come back by name.
	pub async fn submit<C: Payload>(&self, signer: &Signer, call: C) -> Result<TxOutcome, Error> {
		self.submit_market(signer, MarketNonceUse::Without, |_| call)
			.await
			.map(|(outcome, _)| outcome)
	}

	/// Signs the call `make_call` builds, with `signer`'s next account nonce and the market
	/// nonce `market` chooses, and waits for it. Returns the outcome and the market nonce used
	/// (0 for a call without one).
	pub(crate) async fn submit_market<C: Payload>(
		&self,
		signer: &Signer,
		market: MarketNonceUse,
		make_call: impl FnOnce(u64) -> C,
	) -> Result<(TxOutcome, u64), Error> {
		if let Some(hash) = self.pinned {
			return Err(Error::Invalid(format!(
				"this client reads block {hash:?} (`at_block`) and cannot write"
			)));
		}
		let account = keys::account_of(signer);
		let cache = self.nonce_cache(signer);
		// Nonces are chosen and the transaction handed to the node under the account's lock,
		// so concurrent writes from one account get consecutive nonces.
		let (mut progress, market_nonce) = {
			let mut cache = cache.lock().await;
			let at = self.api.at_current_block().await?;
			let pool_next = self.legacy.system_account_next_index(&account).await?;
			let nonce = pool_next.max(cache.next_tx.unwrap_or(0));
			let market_nonce = match market {
				MarketNonceUse::Without => 0,
				MarketNonceUse::Exactly(explicit) => explicit,
				MarketNonceUse::Next => {
					let on_chain = self.market_nonce(&account).await?;
					on_chain.max(cache.next_market.unwrap_or(0))
				},
			};
			let call = make_call(market_nonce);
			let params = DefaultExtrinsicParamsBuilder::<ChainConfig>::new()
				.nonce(nonce)
				.mortal(MORTALITY_BLOCKS)
				.build();
			let signed = at.tx().create_signed(&call, signer, params).await?;
			self.report(Progress::Submitted { extrinsic_hash: signed.hash() });
			let progress = match signed.submit_and_watch().await {
				Ok(progress) => progress,
				Err(error) => {
					*cache = NonceCache::default();
					return Err(Error::Rejected(pool_message(&error.to_string())));
				},
			};
			cache.next_tx = Some(nonce + 1);
			if market == MarketNonceUse::Next {
				cache.next_market = Some(market_nonce + 1);
			}
			(progress, market_nonce)
		};

		let result = self.follow(&mut progress).await;
		if result.is_err() {
			// A failed or dropped write leaves nonces the chain did not use: read them again.
			*cache.lock().await = NonceCache::default();
		}
		result.map(|outcome| (outcome, market_nonce))
	}

	async fn follow(
		&self,
		progress: &mut subxt::transactions::TransactionProgress<
			ChainConfig,
			subxt::client::OnlineClientAtBlockImpl<ChainConfig>,
		>,
	) -> Result<TxOutcome, Error> {
		while let Some(status) = progress.next().await {
			let (in_block, finalized) = match status? {
				TransactionStatus::InBestBlock(in_block) => {
					self.report(Progress::InBlock { block_hash: in_block.block_hash() });
					if self.wait == WaitFor::Finalized {
						continue;
					}
					(in_block, false)
				},
				TransactionStatus::InFinalizedBlock(in_block) => (in_block, true),
				TransactionStatus::Validated | TransactionStatus::Broadcasted => {
					self.report(Progress::InPool);
					continue;
				},
				TransactionStatus::NoLongerInBestBlock => continue,
				TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message }
				| TransactionStatus::Error { message } => return Err(Error::Rejected(pool_message(&message))),
			};
			let block_hash = in_block.block_hash();
			let extrinsic_hash = in_block.extrinsic_hash();
			let events = match in_block.wait_for_success().await {
				Ok(events) => events,
				Err(TransactionEventsError::ExtrinsicFailed(error)) => {
					return Err(self.dispatch_error(error))
				},
				Err(other) => return Err(other.into()),
			};
			let index = events.extrinsic_index() as u32;
			let at = self.api.at_block(block_hash).await?;
			let outcome = TxOutcome {
				extrinsic_hash,
				block_hash,
				block_number: at.block_number(),
				finalized,
				events: views::extrinsic_events(
					&at.metadata(),
					events.all_events_in_block(),
					index,
				),
				raw: Arc::new(events),
			};
			if let Some(sudid) = outcome.find_first::<runtime::sudo::events::Sudid>()? {
				if let Err(error) = sudid.sudo_result {
					return Err(runtime_dispatch_error(&at.metadata(), error));
				}
			}
			return Ok(outcome);
		}
		Err(Error::Rejected("the node stopped reporting on the transaction".into()))
	}

	/// A dispatch error as the client reports it: pallet errors by name, with their docs.
	fn dispatch_error(&self, error: DispatchError) -> Error {
		match error {
			DispatchError::Module(module) => {
				let detail = module.as_root_error::<runtime::Error>().ok().and_then(error_detail);
				match module.details() {
					Ok(details) => Error::Pallet {
						pallet: details.pallet.name().to_string(),
						name: details.variant.name.clone(),
						docs: details.variant.docs.join(" "),
						detail,
					},
					Err(_) => Error::Dispatch(module.to_string()),
				}
			},
			other => Error::Dispatch(other.to_string()),
		}
	}
}

/// A dispatch error carried in an event (such as `Sudo::Sudid`), reported like the others.
fn runtime_dispatch_error(
	metadata: &subxt::metadata::Metadata,
	error: runtime_types::sp_runtime::DispatchError,
) -> Error {
	use runtime_types::sp_runtime::DispatchError as E;
	match error {
		E::Module(module) => {
			let found = metadata.pallet_by_error_index(module.index).and_then(|pallet| {
				pallet.error_variant_by_index(module.error[0]).map(|variant| {
					(pallet.name().to_string(), variant.name.clone(), variant.docs.join(" "))
				})
			});
			match found {
				Some((pallet, name, docs)) => Error::Pallet { pallet, name, docs, detail: None },
				None => Error::Dispatch(format!("{module:?}")),
			}
		},
		other => Error::Dispatch(format!("{other:?}")),
	}
}

/// The fields of errors that carry some (so far, which batch item failed and why).
fn error_detail(error: runtime::Error) -> Option<String> {
	use runtime_types::pallet_energy_bus::pallet::Error as BusError;
	match error {
		runtime::Error::EnergyBus(BusError::BatchItemFailed { index, reason }) => {
			Some(format!("item {index} failed: {reason:?}"))
		},
		_ => None,
	}
}

/// The pool's reason for refusing a transaction, in words.
fn pool_message(message: &str) -> String {
	let hint = if message.contains("Priority is too low") || message.contains("Stale") {
		" (another transaction from this account used the same nonce)"
	} else if message.contains("Inability to pay") || message.contains("Payment") {
		" (the signer cannot pay the fee)"
	} else if message.contains("BadProof") || message.contains("bad signature") {
		" (the signature does not match the chain)"
	} else {
		""
	};
	format!("{message}{hint}")
}
