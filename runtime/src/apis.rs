//! The runtime APIs: what the node, polkadot.js apps and subxt call into the runtime for.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	view_functions::{ViewFunctionDispatchError, ViewFunctionId},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use crate::{
	genesis_config_presets, AccountId, Aura, Balance, Block, BlockNumber, BusName, BusOwners,
	EnergyBus, EnergyTrading, Executive, FactoryId, Grandpa, InherentDataExt, Nonce, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};
use pallet_energy_bus::{
	BusId, BusOf, BusPage, LockOf, LockQuote, LockTerms, MarketNonce, OfferId, OfferOf, PurchaseId,
	PurchaseOf, ReceiptHash,
};
use pallet_energy_trading::{EnergyWh, FactoryIdOf, FactoryNameOf, FactoryOf, TradeId, TradeOf};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// Equivocation reporting is off on this chain (`KeyOwnerProof` is `Void`), so no
			// ownership proof can exist.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_energy_trading_runtime_api::EnergyTradingApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		FactoryIdOf<Runtime>,
		FactoryNameOf<Runtime>,
	> for Runtime {
		fn factory(factory_id: FactoryIdOf<Runtime>) -> Option<FactoryOf<Runtime>> {
			EnergyTrading::factory(factory_id)
		}

		fn energy_balance(factory_id: FactoryIdOf<Runtime>) -> Option<EnergyWh> {
			EnergyTrading::energy_balance(factory_id)
		}

		fn factories(
			start_after: Option<FactoryIdOf<Runtime>>,
			limit: u32,
		) -> Vec<FactoryOf<Runtime>> {
			EnergyTrading::factories(start_after, limit)
		}

		fn owner_factories(
			who: AccountId,
			start_after: Option<FactoryIdOf<Runtime>>,
			limit: u32,
		) -> Vec<FactoryOf<Runtime>> {
			EnergyTrading::owner_factories(who, start_after, limit)
		}

		fn trade(trade_id: TradeId) -> Option<TradeOf<Runtime>> {
			EnergyTrading::trade(trade_id)
		}

		fn trades_of_factory(
			factory_id: FactoryIdOf<Runtime>,
			start_after: Option<TradeId>,
			limit: u32,
		) -> Vec<TradeOf<Runtime>> {
			EnergyTrading::trades_of_factory(factory_id, start_after, limit)
		}

		fn factory_rating(
			factory_id: FactoryIdOf<Runtime>,
		) -> Option<pallet_energy_trading::FactoryRating> {
			EnergyTrading::factory_rating(factory_id)
		}
	}

	impl pallet_energy_bus_runtime_api::EnergyBusApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		FactoryId,
		BusName,
		BusOwners,
	> for Runtime {
		fn bus_details(bus_id: BusId) -> Option<(BusOf<Runtime>, EnergyWh)> {
			EnergyBus::bus_details(bus_id)
		}

		fn user_buses(who: AccountId) -> Vec<BusId> {
			EnergyBus::user_buses(who)
		}

		fn bus_active_offers(
			bus_id: BusId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OfferOf<Runtime>> {
			EnergyBus::bus_active_offers(bus_id, start_after, limit)
		}

		fn user_bus_offers(who: AccountId, bus_id: BusId) -> Vec<OfferOf<Runtime>> {
			EnergyBus::user_bus_offers(who, bus_id)
		}

		fn buses(start_after: Option<BusId>, limit: u32) -> BusPage<BusOf<Runtime>> {
			EnergyBus::buses(start_after, limit)
		}

		fn account_offers(
			who: AccountId,
			start_after: Option<OfferId>,
			limit: u32,
		) -> Vec<OfferOf<Runtime>> {
			EnergyBus::account_offers(who, start_after, limit)
		}

		fn offer_locks(offer_id: OfferId) -> (EnergyWh, Vec<LockOf<Runtime>>) {
			EnergyBus::offer_locks(offer_id)
		}

		fn lock_terms() -> LockTerms<Balance> {
			EnergyBus::lock_terms()
		}

		fn offer_lifetime() -> BlockNumber {
			EnergyBus::offer_lifetime()
		}

		fn lock_quote(offer_id: OfferId, energy_wh: EnergyWh) -> Option<LockQuote<Balance, BlockNumber>> {
			EnergyBus::lock_quote(offer_id, energy_wh)
		}

		fn is_transaction_processed(receipt: ReceiptHash) -> bool {
			EnergyBus::is_transaction_processed(receipt)
		}

		fn market_nonce(who: AccountId) -> MarketNonce {
			EnergyBus::market_nonce(who)
		}

		fn purchases(
			who: AccountId,
			start_after: Option<PurchaseId>,
			limit: u32,
		) -> Vec<PurchaseOf<Runtime>> {
			EnergyBus::purchases(who, start_after, limit)
		}

		fn auction_settings(bus_id: BusId) -> Option<pallet_energy_bus::AuctionSettings<Balance>> {
			EnergyBus::auction_settings(bus_id)
		}

		fn current_round(bus_id: BusId) -> Option<pallet_energy_bus::RoundOf<Runtime>> {
			EnergyBus::current_round(bus_id)
		}

		fn round(round_id: pallet_energy_bus::RoundId) -> Option<pallet_energy_bus::RoundOf<Runtime>> {
			EnergyBus::round(round_id)
		}

		fn round_book(round_id: pallet_energy_bus::RoundId) -> Option<pallet_energy_bus::RoundBook> {
			EnergyBus::round_book(round_id)
		}

		fn round_results(bus_id: BusId) -> Vec<pallet_energy_bus::RoundOf<Runtime>> {
			EnergyBus::round_results(bus_id)
		}

		fn account_orders(who: AccountId) -> Vec<pallet_energy_bus::OrderOf<Runtime>> {
			EnergyBus::account_orders(who)
		}

		fn grid_fee(bus_id: BusId) -> Option<pallet_energy_bus::GridFee<Balance>> {
			EnergyBus::grid_fee(bus_id)
		}

		fn claimable_grid_fees(who: AccountId) -> Vec<pallet_energy_bus::ClaimableFees<Balance>> {
			EnergyBus::claimable_grid_fees(who)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use crate::benchmarks::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;
			use crate::benchmarks::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl frame_benchmarking::baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failing pre/post-upgrade check must stop try-runtime right here, with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
}
