//! Receipt hashes, computed the way pallet-energy-bus does: `blake2_256(SCALE(buyer, market
//! nonce, call arguments))`. A client that knows the hash of a call it sent can ask the chain
//! (`is_transaction_processed`) whether that exact call ran, and so retry safely.

use codec::Encode;

use crate::{
	views::OrderSide, AccountId, Balance, BatchPurchaseItem, BusId, EnergyWh, FactoryId, Hash,
	NewAsk, NewBid, OfferId, Purchase,
};

fn receipt(buyer: &AccountId, nonce: u64, arguments: impl Encode) -> Hash {
	Hash::from(sp_crypto_hashing::blake2_256(&(buyer.0, nonce, arguments).encode()))
}

/// The receipt hash of `purchase` sent by `buyer` with the market nonce `nonce` (the one the
/// call carried; the purchase's [`crate::NonceChoice`] is how the client chose it).
pub fn purchase_receipt(buyer: &AccountId, nonce: u64, purchase: &Purchase) -> Hash {
	let Purchase { offer, energy_wh, max_price_per_kwh, into, .. } = purchase;
	let factory = into.as_str().as_bytes().to_vec();
	receipt(buyer, nonce, (b"purchase", offer.0, energy_wh, max_price_per_kwh, factory))
}

/// The receipt hash of `batch_purchase_energy(items, into_factory, nonce)` sent by `buyer`.
pub fn batch_receipt(
	buyer: &AccountId,
	nonce: u64,
	items: &[BatchPurchaseItem],
	into_factory: &FactoryId,
) -> Hash {
	let items: Vec<(u64, EnergyWh, Balance)> =
		items.iter().map(|i| (i.offer_id.0, i.energy_wh, i.max_price_per_kwh)).collect();
	receipt(buyer, nonce, (b"batch", items, into_factory.as_str().as_bytes().to_vec()))
}

/// The receipt hash of `lock_offer(offer_id, energy_wh, into_factory, nonce)` sent by `buyer`.
pub fn lock_receipt(
	buyer: &AccountId,
	nonce: u64,
	offer_id: OfferId,
	energy_wh: EnergyWh,
	into_factory: &FactoryId,
) -> Hash {
	let factory = into_factory.as_str().as_bytes().to_vec();
	receipt(buyer, nonce, (b"lock", offer_id.0, energy_wh, factory))
}

/// The receipt hash of `bid` (`place_bid`) sent by `buyer` with the market nonce `nonce`.
pub fn bid_receipt(buyer: &AccountId, nonce: u64, bid: &NewBid) -> Hash {
	order_receipt(
		buyer,
		nonce,
		OrderSide::Bid,
		bid.bus,
		&bid.into,
		bid.energy_wh,
		bid.limit_price_per_kwh,
	)
}

/// The receipt hash of `ask` (`place_ask`) sent by `seller` with the market nonce `nonce`.
pub fn ask_receipt(seller: &AccountId, nonce: u64, ask: &NewAsk) -> Hash {
	order_receipt(
		seller,
		nonce,
		OrderSide::Ask,
		ask.bus,
		&ask.factory,
		ask.energy_wh,
		ask.limit_price_per_kwh,
	)
}

/// An order's receipt: the pallet hashes `(side, bus, factory, energy_wh, limit)`.
fn order_receipt(
	owner: &AccountId,
	nonce: u64,
	side: OrderSide,
	bus: BusId,
	factory: &FactoryId,
	energy_wh: EnergyWh,
	limit_price_per_kwh: Balance,
) -> Hash {
	// SCALE writes an enum as its variant's index: the pallet's `Side` is `Bid` (0), `Ask` (1).
	let side: u8 = match side {
		OrderSide::Bid => 0,
		OrderSide::Ask => 1,
	};
	let factory = factory.as_str().as_bytes().to_vec();
	receipt(owner, nonce, (side, bus.0, factory, energy_wh, limit_price_per_kwh))
}
