//! The energy-bus market (pallet-energy-bus): buses and their owners, offers, purchases, batch
//! purchases and locks, with market nonces handled for the caller, and every query.

use crate::{
	keys::{self, Signer},
	receipt,
	runtime::{
		self,
		energy_bus::events,
		runtime_types::pallet_energy_bus::types::{BatchItem, BusChange, LockTerms, MarketParams},
	},
	trading::{all_pages, PAGE},
	views::{
		self, AuctionSettingsView, BusPageView, BusView, ClaimableFeesView, GridFeeView,
		LockQuoteView, LockTermsView, LockView, MarketParamsView, OfferLocksView, OfferView,
		ProposalView, PurchaseView,
	},
	AccountId, Balance, BusId, Created, EnergyClient, EnergyWh, Error, FactoryId, Hash, LockId,
	OfferId, ProposalId, PurchaseId, TxOutcome,
};

/// How many times a buying call is retried with a fresh market nonce when another call from
/// the same account took the one it was given.
const NONCE_RETRIES: usize = 3;

/// Which market nonce a buying call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NonceChoice {
	/// The buyer's next market nonce, read from the chain (and from this client's own calls
	/// still in flight). If another call took it meanwhile, the client checks the receipt and
	/// retries with the next one.
	#[default]
	Next,
	/// Exactly this nonce, never retried: to repeat a call whose outcome is unknown (after a
	/// lost connection, say). If it ran already, the answer is
	/// [`PurchaseOutcome::already_processed`] rather than a second purchase.
	Exactly(u64),
}

/// What became of a buying call (purchase, batch purchase or lock).
#[derive(Clone, Debug)]
pub struct PurchaseOutcome {
	/// The market nonce it used.
	pub nonce: u64,
	/// Its receipt hash (see [`EnergyClient::is_transaction_processed`]).
	pub receipt: Hash,
	/// The write, or `None` when this exact call had already run: the chain refused the repeat
	/// with `NonceAlreadyUsed` and holds its receipt.
	pub outcome: Option<TxOutcome>,
	/// The purchases made by this write.
	pub purchases: Vec<PurchaseMade>,
}

impl PurchaseOutcome {
	/// Whether the call had already run, so this attempt bought nothing more.
	pub fn already_processed(&self) -> bool {
		self.outcome.is_none()
	}
}

/// One purchase, from an `EnergyPurchased` event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseMade {
	/// The purchase's id.
	pub purchase_id: PurchaseId,
	/// The offer.
	pub offer_id: OfferId,
	/// The energy bought, in Wh.
	pub energy_wh: EnergyWh,
	/// What was paid the seller, in plancks.
	#[serde(with = "views::amount")]
	pub total_price: Balance,
	/// The grid fee paid the bus's owners on top, in plancks.
	#[serde(with = "views::amount")]
	pub grid_fee: Balance,
}

/// A purchase to make (see [`EnergyClient::purchase`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purchase {
	/// The offer to buy from.
	pub offer: OfferId,
	/// The energy to buy, in Wh.
	pub energy_wh: EnergyWh,
	/// The most the buyer pays per kWh, in plancks (the offer's price may not be higher).
	pub max_price_per_kwh: Balance,
	/// The buyer's factory that receives the energy.
	pub into: FactoryId,
	/// Which market nonce the call carries.
	pub nonce: NonceChoice,
}

/// One item of a batch purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchPurchaseItem {
	/// The offer.
	pub offer_id: OfferId,
	/// The energy to buy from it, in Wh.
	pub energy_wh: EnergyWh,
	/// The most the buyer pays per kWh, in plancks.
	#[serde(with = "views::amount")]
	pub max_price_per_kwh: Balance,
}

/// A bus to create (see [`EnergyClient::create_bus`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBus {
	/// Its name (at most 64 bytes).
	pub name: String,
	/// Its co-owners (at most 10; the creator is not added unless named).
	pub owners: Vec<AccountId>,
	/// How much energy its offers may carry at once, in Wh.
	pub capacity_wh: EnergyWh,
	/// Its reserve price per kWh, in plancks: offers ask at least this.
	pub base_price_per_kwh: Balance,
}

/// An offer to post (see [`EnergyClient::create_offer`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOffer {
	/// The bus.
	pub bus: BusId,
	/// The seller's factory; its energy goes into escrow.
	pub factory: FactoryId,
	/// The energy, in Wh.
	pub energy_wh: EnergyWh,
	/// The asking price per kWh, in plancks (at least the bus's base price).
	pub price_per_kwh: Balance,
}

/// A lock taken on an offer.
#[derive(Clone, Debug)]
pub struct LockOutcome {
	/// The write.
	pub outcome: TxOutcome,
	/// The lock's id.
	pub lock_id: LockId,
	/// The payment held, in plancks.
	pub held: Balance,
	/// The lock fee paid to the seller, in plancks (not refunded).
	pub fee: Balance,
	/// The last block it can be used in.
	pub expires_at: u32,
	/// The market nonce it used, and its receipt.
	pub nonce: u64,
	/// The receipt hash.
	pub receipt: Hash,
}

/// What an owner's request for a bus change did.
#[derive(Clone, Debug)]
pub enum ChangeOutcome {
	/// It waits for more owners: `approvals` of `threshold` have asked.
	Proposed {
		/// The write.
		outcome: TxOutcome,
		/// The proposal, which other owners approve with [`EnergyClient::approve_bus_change`].
		proposal_id: ProposalId,
		/// How many owners asked so far.
		approvals: u32,
		/// How many must.
		threshold: u32,
	},
	/// It took effect.
	Applied {
		/// The write.
		outcome: TxOutcome,
	},
}

impl ChangeOutcome {
	/// The write.
	pub fn outcome(&self) -> &TxOutcome {
		match self {
			ChangeOutcome::Proposed { outcome, .. } | ChangeOutcome::Applied { outcome } => outcome,
		}
	}

	fn from_outcome(outcome: TxOutcome) -> Result<Self, Error> {
		if outcome.find_first::<events::ChangeApplied>()?.is_some()
			|| outcome.find_first::<events::BusClosed>()?.is_some()
		{
			return Ok(ChangeOutcome::Applied { outcome });
		}
		let proposed = outcome.expect_event::<events::ChangeProposed>("the proposal")?;
		Ok(ChangeOutcome::Proposed {
			proposal_id: ProposalId(proposed.proposal_id),
			approvals: proposed.approvals,
			threshold: proposed.threshold,
			outcome,
		})
	}
}

/// A change an owner can ask for on a bus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusChangeRequest {
	/// Add a co-owner.
	AddOwner(AccountId),
	/// Remove a co-owner.
	RemoveOwner(AccountId),
	/// Set the capacity, in Wh.
	SetCapacity(EnergyWh),
	/// Set the reserve price per kWh, in plancks.
	SetBasePrice(Balance),
	/// Set how many owners must ask for a change.
	SetApprovalThreshold(u32),
	/// Close the bus.
	Close,
	/// Turn auctions on with these settings (a round length of 1 to `MaxRoundLength` blocks,
	/// 1 to `MaxTicks` prices, a tick size above 0: `EnergyBus::InvalidAuctionSettings`
	/// otherwise), change them (from the next round on), or turn them off with `None`.
	SetAuction(Option<AuctionSettingsView>),
	/// Set the grid fee per kWh, in plancks, that buyers pay the owners on top of the price:
	/// offers made and rounds opened from then on carry it.
	SetGridFee(Balance),
	/// Set an owner's shares of the grid fees (1 to 10,000; `EnergyBus::InvalidFeeShares`
	/// otherwise, `EnergyBus::NotAnOwner` for an account that is not an owner). Fees
	/// collected from then on are split by shares; what was earned before stays earned.
	SetFeeShares(AccountId, u16),
}

/// A bus owner's grid fees paid out by [`EnergyClient::claim_grid_fees`].
#[derive(Clone, Debug)]
pub struct FeesClaimed {
	/// The write.
	pub outcome: TxOutcome,
	/// What the owner received, in plancks.
	pub amount: Balance,
}

fn purchases_of(outcome: &TxOutcome) -> Result<Vec<PurchaseMade>, Error> {
	Ok(outcome
		.find::<events::EnergyPurchased>()?
		.into_iter()
		.map(|event| PurchaseMade {
			purchase_id: PurchaseId(event.purchase_id),
			offer_id: OfferId(event.offer_id),
			energy_wh: event.energy_wh,
			total_price: event.total_price,
			grid_fee: event.grid_fee,
		})
		.collect())
}

impl EnergyClient {
	/// Creates a bus (the signer pays the deposit, 10 ECT, held until it closes). Returns the
	/// new bus's id.
	pub async fn create_bus(&self, creator: &Signer, bus: NewBus) -> Result<Created<BusId>, Error> {
		use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec;
		// Bounded in the call: a name over `MaxBusNameLength` bytes or over `MaxOwners` owners
		// does not decode, and the node refuses the transaction before it reaches a block.
		let call = runtime::tx().energy_bus().create_energy_bus(
			BoundedVec(bus.name.into_bytes()),
			BoundedVec(bus.owners),
			bus.capacity_wh,
			bus.base_price_per_kwh,
		);
		let outcome = self.submit(creator, call).await?;
		let created = outcome.expect_event::<events::BusCreated>("the new bus")?;
		Ok(Created { id: BusId(created.bus_id), outcome })
	}

	/// Asks for a change of a bus as one of its owners. It takes effect once the bus's
	/// approval threshold of owners have asked for the same change.
	pub async fn request_bus_change(
		&self,
		owner: &Signer,
		bus: BusId,
		change: BusChangeRequest,
	) -> Result<ChangeOutcome, Error> {
		let tx = runtime::tx().energy_bus();
		let bus_id = bus.0;
		let outcome = match change {
			BusChangeRequest::AddOwner(who) => {
				self.submit(owner, tx.add_bus_owner(bus_id, who)).await
			},
			BusChangeRequest::RemoveOwner(who) => {
				self.submit(owner, tx.remove_bus_owner(bus_id, who)).await
			},
			BusChangeRequest::SetCapacity(wh) => {
				self.submit(owner, tx.set_bus_capacity(bus_id, wh)).await
			},
			BusChangeRequest::SetBasePrice(price) => {
				self.submit(owner, tx.set_base_price(bus_id, price)).await
			},
			BusChangeRequest::SetApprovalThreshold(threshold) => {
				self.submit(owner, tx.set_approval_threshold(bus_id, threshold)).await
			},
			BusChangeRequest::Close => self.submit(owner, tx.close_bus(bus_id)).await,
			BusChangeRequest::SetAuction(settings) => {
				self.submit(owner, tx.set_auction(bus_id, settings.map(Into::into))).await
			},
			BusChangeRequest::SetGridFee(fee) => {
				self.submit(owner, tx.set_grid_fee(bus_id, fee)).await
			},
			BusChangeRequest::SetFeeShares(who, shares) => {
				self.submit(owner, tx.set_fee_shares(bus_id, who, shares)).await
			},
		}?;
		ChangeOutcome::from_outcome(outcome)
	}

	/// Approves the bus's open proposal `proposal_id` (see [`EnergyClient::bus_proposals`]).
	/// Fails with the pallet's `ProposalNotFound` if it was applied or lapsed meanwhile: an
	/// approval never opens a new proposal.
	pub async fn approve_bus_change(
		&self,
		owner: &Signer,
		bus: BusId,
		proposal: ProposalId,
	) -> Result<ChangeOutcome, Error> {
		let call = runtime::tx().energy_bus().approve_bus_change(bus.0, proposal.0);
		ChangeOutcome::from_outcome(self.submit(owner, call).await?)
	}

	/// Withdraws the proposal `proposal` of a bus, which `owner` opened: it ends without taking
	/// effect and frees its slot (each owner may have a few open at once).
	pub async fn withdraw_bus_change(
		&self,
		owner: &Signer,
		bus: BusId,
		proposal: ProposalId,
	) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_bus().withdraw_bus_change(bus.0, proposal.0);
		let outcome = self.submit(owner, call).await?;
		outcome.expect_event::<events::ChangeWithdrawn>("the withdrawn proposal")?;
		Ok(outcome)
	}

	/// Pays `owner` its part of a bus's grid fees: everything it earned by its shares since it
	/// last claimed (a former owner claims what it earned before it was removed). Fails with
	/// `EnergyBus::NoGridFees` when there is nothing to claim.
	pub async fn claim_grid_fees(&self, owner: &Signer, bus: BusId) -> Result<FeesClaimed, Error> {
		let call = runtime::tx().energy_bus().claim_grid_fees(bus.0);
		let outcome = self.submit(owner, call).await?;
		let claimed = outcome.expect_event::<events::GridFeesClaimed>("the claimed fees")?;
		Ok(FeesClaimed { amount: claimed.amount, outcome })
	}

	/// A bus's grid fee per kWh, its owners' total shares and the fees not claimed yet, or
	/// `None` if there is no such bus.
	pub async fn grid_fee(&self, bus: BusId) -> Result<Option<GridFeeView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().grid_fee(bus.0);
		Ok(self.runtime_api(call).await?.map(GridFeeView::from))
	}

	/// The grid fees an account may claim, bus by bus, with its shares of each: buses it
	/// co-owns, and buses it owned whose fees it has not claimed yet.
	pub async fn claimable_grid_fees(
		&self,
		who: &AccountId,
	) -> Result<Vec<ClaimableFeesView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().claimable_grid_fees(*who);
		Ok(self.runtime_api(call).await?.into_iter().map(ClaimableFeesView::from).collect())
	}

	async fn raw_proposals(
		&self,
		bus: BusId,
	) -> Result<
		Vec<
			runtime::runtime_types::pallet_energy_bus::types::Proposal<
				BusChange<AccountId, Balance>,
				runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec<AccountId>,
				u32,
			>,
		>,
		Error,
	> {
		if self.bus(bus).await?.is_none() {
			return Err(Error::NotFound(format!("bus {bus}")));
		}
		let at = self.at_query_block().await?;
		let now = at.block_number() as u32;
		let proposals =
			at.storage().fetch(runtime::storage().energy_bus().proposals(), (bus.0,)).await?;
		// Lapsed proposals stay stored until the bus's proposals are next touched.
		Ok(proposals.decode()?.0.into_iter().filter(|p| p.expires_at >= now).collect())
	}

	/// A bus's pending changes that still wait for approvals.
	pub async fn bus_proposals(&self, bus: BusId) -> Result<Vec<ProposalView>, Error> {
		Ok(self
			.raw_proposals(bus)
			.await?
			.into_iter()
			.map(|p| ProposalView {
				id: ProposalId(p.id),
				change: views::describe_change(&p.change),
				approvals: p.approvals.0,
				expires_at: p.expires_at,
			})
			.collect())
	}

	/// Offers energy of a factory on a bus. Signed by the factory's owner. Returns the new
	/// offer's id.
	pub async fn create_offer(
		&self,
		seller: &Signer,
		offer: NewOffer,
	) -> Result<Created<OfferId>, Error> {
		let call = runtime::tx().energy_bus().create_offer(
			offer.bus.0,
			offer.factory.encoded(),
			offer.energy_wh,
			offer.price_per_kwh,
		);
		let outcome = self.submit(seller, call).await?;
		let created = outcome.expect_event::<events::OfferCreated>("the new offer")?;
		Ok(Created { id: OfferId(created.offer_id), outcome })
	}

	/// Cancels an offer; its unlocked energy returns to the factory. Signed by the seller.
	pub async fn cancel_offer(&self, seller: &Signer, offer: OfferId) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_bus().cancel_offer(offer.0);
		let outcome = self.submit(seller, call).await?;
		outcome.expect_event::<events::OfferCancelled>("the cancelled offer")?;
		Ok(outcome)
	}

	/// Buys energy of an offer into the buyer's factory, paying at most the purchase's price
	/// per kWh. With [`NonceChoice::Next`] the market nonce is handled for the caller; a repeat
	/// of a call that already ran is never bought twice.
	pub async fn purchase(
		&self,
		buyer: &Signer,
		purchase: Purchase,
	) -> Result<PurchaseOutcome, Error> {
		let who = keys::account_of(buyer);
		self.buying_call(
			buyer,
			purchase.nonce,
			|n| receipt::purchase_receipt(&who, n, &purchase),
			|n| {
				runtime::tx().energy_bus().purchase_energy(
					purchase.offer.0,
					purchase.energy_wh,
					purchase.max_price_per_kwh,
					purchase.into.encoded(),
					n,
				)
			},
		)
		.await
	}

	/// Buys from several offers (at most 10) in one all-or-nothing call with one nonce and one
	/// receipt. If an item fails, the error is `EnergyBus::BatchItemFailed` with the item's
	/// index and reason.
	pub async fn batch_purchase(
		&self,
		buyer: &Signer,
		items: &[BatchPurchaseItem],
		into_factory: &FactoryId,
		nonce: NonceChoice,
	) -> Result<PurchaseOutcome, Error> {
		let who = keys::account_of(buyer);
		let batch: Vec<BatchItem<Balance>> = items
			.iter()
			.map(|item| BatchItem {
				offer_id: item.offer_id.0,
				energy_wh: item.energy_wh,
				max_price_per_kwh: item.max_price_per_kwh,
			})
			.collect();
		self.buying_call(
			buyer,
			nonce,
			|n| receipt::batch_receipt(&who, n, items, into_factory),
			|n| {
				runtime::tx().energy_bus().batch_purchase_energy(
					runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(
						batch.clone(),
					),
					into_factory.encoded(),
					n,
				)
			},
		)
		.await
	}

	/// Locks `energy_wh` of an offer for the buyer's factory `into` at its current price for
	/// the market's lock duration, holding the payment, and pays the seller the lock fee (not
	/// refunded: see [`EnergyClient::lock_quote`]); the lock ends by itself. Buy it with
	/// [`EnergyClient::purchase`] into the same factory.
	pub async fn lock_offer(
		&self,
		buyer: &Signer,
		offer: OfferId,
		energy_wh: EnergyWh,
		into: &FactoryId,
		nonce: NonceChoice,
	) -> Result<LockOutcome, Error> {
		let who = keys::account_of(buyer);
		let done = self
			.buying_call(
				buyer,
				nonce,
				|n| receipt::lock_receipt(&who, n, offer, energy_wh, into),
				|n| runtime::tx().energy_bus().lock_offer(offer.0, energy_wh, into.encoded(), n),
			)
			.await?;
		let outcome = done.outcome.ok_or_else(|| {
			Error::Invalid(format!(
				"market nonce {} was used by this same lock already (receipt {:?})",
				done.nonce, done.receipt
			))
		})?;
		let locked = outcome.expect_event::<events::OfferLocked>("the lock")?;
		let paid = outcome.expect_event::<events::LockFeePaid>("the lock fee")?;
		Ok(LockOutcome {
			lock_id: LockId(locked.lock_id),
			held: locked.held,
			fee: paid.fee,
			expires_at: locked.expires_at,
			nonce: done.nonce,
			receipt: done.receipt,
			outcome,
		})
	}

	/// Ends a lock early; the held payment is released. Signed by the lock's holder.
	pub async fn release_lock(&self, holder: &Signer, lock: LockId) -> Result<TxOutcome, Error> {
		let call = runtime::tx().energy_bus().release_lock(lock.0);
		let outcome = self.submit(holder, call).await?;
		outcome.expect_event::<events::LockEnded>("the ended lock")?;
		Ok(outcome)
	}

	/// Sets the lock terms (Root only: `sudo` must be the sudo key).
	pub async fn set_lock_terms(
		&self,
		sudo: &Signer,
		terms: LockTermsView,
	) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::{
			pallet_energy_bus::pallet::Call, sp_arithmetic::per_things::Perbill,
		};
		let call =
			runtime::runtime_types::energy_runtime::RuntimeCall::EnergyBus(Call::set_lock_terms {
				terms: LockTerms {
					fee: Perbill(terms.fee_per_billion),
					min_fee: terms.min_fee,
					max_share: Perbill(terms.max_share_per_billion),
				},
			});
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::LockTermsChanged>("the new lock terms")?;
		Ok(outcome)
	}

	/// Sets the market parameters (Root only: `sudo` must be the sudo key).
	pub async fn set_market_params(
		&self,
		sudo: &Signer,
		params: MarketParamsView,
	) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::pallet_energy_bus::pallet::Call;
		let call = runtime::runtime_types::energy_runtime::RuntimeCall::EnergyBus(
			Call::set_market_params {
				params: MarketParams {
					lock_duration: params.lock_duration,
					receipt_retention: params.receipt_retention,
					proposal_lifetime: params.proposal_lifetime,
				},
			},
		);
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::ParamsChanged>("the new parameters")?;
		Ok(outcome)
	}

	/// Runs a buying call with a market nonce: on `NonceAlreadyUsed` it looks the call's receipt
	/// up; if this very call ran, that is its outcome (nothing is bought twice); otherwise, with
	/// [`NonceChoice::Next`], it retries with the next nonce.
	pub(crate) async fn buying_call<C: subxt::transactions::Payload>(
		&self,
		buyer: &Signer,
		nonce: NonceChoice,
		receipt_of: impl Fn(u64) -> Hash,
		call_with: impl Fn(u64) -> C,
	) -> Result<PurchaseOutcome, Error> {
		let mut attempts = 0;
		loop {
			attempts += 1;
			let mut used = 0;
			let result = self
				.submit_market(buyer, nonce.into(), |n| {
					used = n;
					call_with(n)
				})
				.await;
			match result {
				Ok((outcome, n)) => {
					let purchases = purchases_of(&outcome)?;
					return Ok(PurchaseOutcome {
						nonce: n,
						receipt: receipt_of(n),
						outcome: Some(outcome),
						purchases,
					});
				},
				Err(error) if error.is_pallet_error("EnergyBus", "NonceAlreadyUsed") => {
					let receipt = receipt_of(used);
					if self.is_transaction_processed(receipt).await? {
						return Ok(PurchaseOutcome {
							nonce: used,
							receipt,
							outcome: None,
							purchases: Vec::new(),
						});
					}
					if nonce != NonceChoice::Next || attempts > NONCE_RETRIES {
						return Err(error);
					}
				},
				Err(error)
					if error.is_pallet_error("EnergyBus", "NonceTooHigh")
						&& nonce == NonceChoice::Next
						&& attempts <= NONCE_RETRIES => {},
				Err(error) => return Err(error),
			}
		}
	}

	/// A bus with its free capacity, or `None`.
	pub async fn bus(&self, bus: BusId) -> Result<Option<BusView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().bus_details(bus.0);
		Ok(self.runtime_api(call).await?.map(BusView::from))
	}

	/// One page of all buses, in id order: up to `limit` (1 to 100) buses with ids above
	/// `start_after`, and the `start_after` of the next page (`None` after the last).
	pub async fn buses_page(
		&self,
		start_after: Option<BusId>,
		limit: u32,
	) -> Result<BusPageView, Error> {
		let call = runtime::runtime_apis()
			.energy_bus_api()
			.buses(start_after.map(|bus| bus.0), limit.min(PAGE));
		let page = self.runtime_api(call).await?;
		Ok(BusPageView {
			buses: page.buses.into_iter().map(BusView::from).collect(),
			next_start_after: page.next_start_after.map(BusId),
		})
	}

	/// Every bus (page by page), in id order.
	pub async fn all_buses(&self) -> Result<Vec<BusView>, Error> {
		let mut buses = Vec::new();
		let mut start_after = None;
		loop {
			let page = self.buses_page(start_after, PAGE).await?;
			buses.extend(page.buses);
			match page.next_start_after {
				Some(next) => start_after = Some(next),
				None => return Ok(buses),
			}
		}
	}

	/// The buses an account co-owns.
	pub async fn user_buses(&self, who: &AccountId) -> Result<Vec<BusId>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().user_buses(*who);
		Ok(self.runtime_api(call).await?.into_iter().map(BusId).collect())
	}

	/// Every open offer on a bus (page by page), sorted by id.
	pub async fn bus_offers(&self, bus: BusId) -> Result<Vec<OfferView>, Error> {
		let page = |after: Option<OfferId>| async move {
			let call = runtime::runtime_apis().energy_bus_api().bus_active_offers(
				bus.0,
				after.map(|offer| offer.0),
				PAGE,
			);
			Ok(self.runtime_api(call).await?.into_iter().map(OfferView::from).collect())
		};
		all_pages(page, |offer: &OfferView| offer.id, |offer| offer.id).await
	}

	/// An account's offers on a bus.
	pub async fn user_bus_offers(
		&self,
		who: &AccountId,
		bus: BusId,
	) -> Result<Vec<OfferView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().user_bus_offers(*who, bus.0);
		Ok(self.runtime_api(call).await?.into_iter().map(OfferView::from).collect())
	}

	/// An account's offers on every bus (page by page), sorted by id: its open offers and its
	/// cancelled ones that still have live locks. The chain lists at most 400 offers of one
	/// account this way (see the `account_offers` runtime API); [`EnergyClient::user_bus_offers`]
	/// lists them bus by bus.
	pub async fn account_offers(&self, who: &AccountId) -> Result<Vec<OfferView>, Error> {
		let page = |after: Option<OfferId>| async move {
			let call = runtime::runtime_apis().energy_bus_api().account_offers(
				*who,
				after.map(|offer| offer.0),
				PAGE,
			);
			Ok(self.runtime_api(call).await?.into_iter().map(OfferView::from).collect())
		};
		all_pages(page, |offer: &OfferView| offer.id, |offer| offer.id).await
	}

	/// An offer, or `None` once it is sold out, cancelled and without locks.
	pub async fn offer(&self, offer: OfferId) -> Result<Option<OfferView>, Error> {
		let at = self.at_query_block().await?;
		let offer =
			at.storage().try_fetch(runtime::storage().energy_bus().offers(), (offer.0,)).await?;
		Ok(match offer {
			Some(value) => Some(OfferView::from(value.decode()?)),
			None => None,
		})
	}

	/// An offer's live locks, and the energy they hold.
	pub async fn offer_locks(&self, offer: OfferId) -> Result<OfferLocksView, Error> {
		let call = runtime::runtime_apis().energy_bus_api().offer_locks(offer.0);
		let (locked_wh, locks) = self.runtime_api(call).await?;
		Ok(OfferLocksView { locked_wh, locks: locks.into_iter().map(LockView::from).collect() })
	}

	/// Whether a buying call with this receipt hash ran (within the receipt retention).
	pub async fn is_transaction_processed(&self, receipt: Hash) -> Result<bool, Error> {
		let call = runtime::runtime_apis().energy_bus_api().is_transaction_processed(receipt);
		self.runtime_api(call).await
	}

	/// An account's next market nonce, as the chain has it.
	pub async fn market_nonce(&self, who: &AccountId) -> Result<u64, Error> {
		let call = runtime::runtime_apis().energy_bus_api().market_nonce(*who);
		self.runtime_api(call).await
	}

	/// An account's purchases still within the receipt retention (page by page), sorted by id.
	pub async fn purchases(&self, who: &AccountId) -> Result<Vec<PurchaseView>, Error> {
		let page = |after: Option<PurchaseId>| async move {
			let call = runtime::runtime_apis().energy_bus_api().purchases(
				*who,
				after.map(|purchase| purchase.0),
				PAGE,
			);
			Ok(self.runtime_api(call).await?.into_iter().map(PurchaseView::from).collect())
		};
		all_pages(page, |purchase: &PurchaseView| purchase.id, |purchase| purchase.id).await
	}

	/// Whether a bus is closing: its owners closed it while it had offers, which are being
	/// cancelled; it closes once none is left.
	pub async fn bus_closing(&self, bus: BusId) -> Result<bool, Error> {
		let at = self.at_query_block().await?;
		let entry = at
			.storage()
			.try_fetch(runtime::storage().energy_bus().closing_buses(), (bus.0,))
			.await?;
		Ok(entry.is_some())
	}

	/// How many blocks a new offer stays open (its `expires_at` is its creation block plus
	/// this).
	pub async fn offer_lifetime(&self) -> Result<u32, Error> {
		let call = runtime::runtime_apis().energy_bus_api().offer_lifetime();
		self.runtime_api(call).await
	}

	/// Sets the offer lifetime in blocks (Root only: `sudo` must be the sudo key); open offers
	/// keep their end.
	pub async fn set_offer_lifetime(&self, sudo: &Signer, blocks: u32) -> Result<TxOutcome, Error> {
		use runtime::runtime_types::pallet_energy_bus::pallet::Call;
		let call = runtime::runtime_types::energy_runtime::RuntimeCall::EnergyBus(
			Call::set_offer_lifetime { lifetime: blocks },
		);
		let outcome = self.submit(sudo, runtime::tx().sudo().sudo(call)).await?;
		outcome.expect_event::<events::OfferLifetimeChanged>("the new offer lifetime")?;
		Ok(outcome)
	}

	/// The lock terms: the lock fee's share and minimum, the largest share of an offer one
	/// lock may reserve.
	pub async fn lock_terms(&self) -> Result<LockTermsView, Error> {
		let call = runtime::runtime_apis().energy_bus_api().lock_terms();
		let terms = self.runtime_api(call).await?;
		Ok(LockTermsView {
			fee_per_billion: terms.fee.0,
			min_fee: terms.min_fee,
			max_share_per_billion: terms.max_share.0,
		})
	}

	/// What locking `energy_wh` of an open offer would take in the next block: the payment
	/// held, the lock fee, the largest lock allowed and its last block; `None` if no open offer
	/// has this id.
	pub async fn lock_quote(
		&self,
		offer: OfferId,
		energy_wh: EnergyWh,
	) -> Result<Option<LockQuoteView>, Error> {
		let call = runtime::runtime_apis().energy_bus_api().lock_quote(offer.0, energy_wh);
		Ok(self.runtime_api(call).await?.map(|quote| LockQuoteView {
			held: quote.held,
			fee: quote.fee,
			max_energy_wh: quote.max_energy_wh,
			expires_at: quote.expires_at,
		}))
	}

	/// The market parameters.
	pub async fn market_params(&self) -> Result<MarketParamsView, Error> {
		let at = self.at_query_block().await?;
		let params = at.storage().fetch(runtime::storage().energy_bus().params(), ()).await?;
		let params = params.decode()?;
		Ok(MarketParamsView {
			lock_duration: params.lock_duration,
			receipt_retention: params.receipt_retention,
			proposal_lifetime: params.proposal_lifetime,
		})
	}
}
