//! [`EnergyLedger`]: how other pallets (the energy-bus market) use factory energy without
//! touching this pallet's storage. Energy they take is held in the market escrow
//! (`MarketEscrowWh`) until they return it to its factory or deliver it to another factory;
//! every movement is in both factories' history.

use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::DispatchError;

use crate::{
	history::RecordDetails,
	ledger::{add_wh, sub_wh},
	Config, EnergyWh, Error, Factories, FactoryIdOf, History, HistoryKind, HistoryOf,
	HistoryRecordOf, MarketEscrowWh, Pallet,
};

/// One seller of a `deliver_all`: its factory, its balance, its history ring as read, and its
/// sales' history records in delivery order.
type SellerSales<'a, T> = (&'a FactoryIdOf<T>, EnergyWh, HistoryOf<T>, Vec<HistoryRecordOf<T>>);

/// The factory ledger as another pallet sees it.
pub trait EnergyLedger<AccountId, FactoryId> {
	/// Whether `who` owns the factory `factory_id` (false for an unknown factory).
	fn is_owner(who: &AccountId, factory_id: &FactoryId) -> bool;

	/// Moves `energy_wh` from the factory's balance into the market escrow.
	fn escrow(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Returns `energy_wh` from the market escrow to the factory it came from.
	fn release(factory_id: &FactoryId, energy_wh: EnergyWh) -> DispatchResult;

	/// Delivers escrowed energy from several factories to the factory `to`, in order: each
	/// `(from, energy_wh)` moves `energy_wh` that `from` (another factory) escrowed to `to`;
	/// `to`'s balance
	/// and history are written once for all of them; `to`'s history gets one `MarketBought`
	/// record per delivery, with its balance after that delivery, and each seller's history is
	/// written once for its deliveries, in order. Checks every delivery before it writes
	/// anything; on failure, returns the index of the first delivery that failed (0 if `to` is
	/// not a factory) and why. Nothing to deliver changes nothing.
	fn deliver_all(
		to: &FactoryId,
		deliveries: &[(FactoryId, EnergyWh)],
	) -> Result<(), (usize, DispatchError)>;

	/// All energy in the market escrow, in Wh.
	fn escrowed() -> EnergyWh;
}

impl<T: Config> EnergyLedger<T::AccountId, FactoryIdOf<T>> for Pallet<T> {
	fn is_owner(who: &T::AccountId, factory_id: &FactoryIdOf<T>) -> bool {
		Factories::<T>::get(factory_id).is_some_and(|factory| &factory.owner == who)
	}

	fn escrow(factory_id: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(factory_id)?;
		factory.energy_wh = sub_wh::<T>(factory.energy_wh, energy_wh)?;
		let escrowed = add_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(factory_id, factory);
		MarketEscrowWh::<T>::put(escrowed);
		Self::record(factory_id, HistoryKind::Escrowed, energy_wh, balance_wh, Default::default());
		Ok(())
	}

	fn release(factory_id: &FactoryIdOf<T>, energy_wh: EnergyWh) -> DispatchResult {
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut factory = Self::factory_or_err(factory_id)?;
		factory.energy_wh = add_wh::<T>(factory.energy_wh, energy_wh)?;
		let escrowed = sub_wh::<T>(MarketEscrowWh::<T>::get(), energy_wh)?;

		let balance_wh = factory.energy_wh;
		Factories::<T>::insert(factory_id, factory);
		MarketEscrowWh::<T>::put(escrowed);
		Self::record(
			factory_id,
			HistoryKind::EscrowReturned,
			energy_wh,
			balance_wh,
			Default::default(),
		);
		Ok(())
	}

	fn deliver_all(
		to: &FactoryIdOf<T>,
		deliveries: &[(FactoryIdOf<T>, EnergyWh)],
	) -> Result<(), (usize, DispatchError)> {
		if deliveries.is_empty() {
			return Ok(());
		}
		let mut buyer = Self::factory_or_err(to).map_err(|error| (0, error.into()))?;
		let mut escrowed = MarketEscrowWh::<T>::get();
		let stamp = Self::stamp();
		// Each seller once, with its balance, its ring and its records in delivery order: a
		// seller that sells twice is read once and has its history written once. Its balance
		// is its ring's last record's (every change of a balance is recorded, from the
		// registration on; `try_state` checks it), so the seller's factory is not read; a
		// factory without history is read (and is missing: `FactoryNotFound`).
		let mut sellers: Vec<SellerSales<T>> = Vec::new();
		let mut bought = Vec::with_capacity(deliveries.len());
		for (index, (from, energy_wh)) in deliveries.iter().enumerate() {
			let at = |error: Error<T>| (index, DispatchError::from(error));
			ensure!(*energy_wh > 0, at(Error::<T>::ZeroEnergy));
			ensure!(from != to, at(Error::<T>::SelfTransfer));
			let seller = match sellers.iter().position(|(id, ..)| *id == from) {
				Some(seller) => seller,
				None => {
					let ring = History::<T>::get(from);
					let balance_wh = match ring.last() {
						Some(last) => last.balance_wh,
						None => Self::factory_or_err(from).map_err(at)?.energy_wh,
					};
					sellers.push((from, balance_wh, ring, Vec::new()));
					sellers.len() - 1
				},
			};
			buyer.energy_wh = add_wh::<T>(buyer.energy_wh, *energy_wh).map_err(at)?;
			escrowed = sub_wh::<T>(escrowed, *energy_wh).map_err(at)?;
			let record = |kind, balance_wh, counterparty: &FactoryIdOf<T>| {
				let details = RecordDetails {
					counterparty: Some(counterparty.clone()),
					..Default::default()
				};
				Self::history_record(stamp, kind, *energy_wh, balance_wh, details)
			};
			let (_, seller_wh, _, sold) = &mut sellers[seller];
			sold.push(record(HistoryKind::MarketSold, *seller_wh, to));
			bought.push(record(HistoryKind::MarketBought, buyer.energy_wh, from));
		}
		// Every delivery checked: now the writes.
		for (from, _, ring, sold) in sellers {
			History::<T>::insert(from, Self::appended(ring, sold.into_iter()));
		}
		Factories::<T>::insert(to, buyer);
		MarketEscrowWh::<T>::put(escrowed);
		Self::append_history(to, bought.into_iter());
		Ok(())
	}

	fn escrowed() -> EnergyWh {
		MarketEscrowWh::<T>::get()
	}
}
