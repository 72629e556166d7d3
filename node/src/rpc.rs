//! The node's JSON-RPC methods beyond Substrate's own: account nonces (`system_accountNextIndex`),
//! fee queries (`payment_*`), the energy pallets' `energy_*` queries, and the factories' history
//! from the node's index (`energy_getFactoryHistory`, [`crate::history`]).

use std::sync::Arc;

use energy_runtime::{
	opaque::Block, AccountId, Balance, BlockNumber, BusName, BusOwners, FactoryId, FactoryName,
	Nonce,
};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call into the runtime.
	pub client: Arc<C>,
	/// The transaction pool, for the next account nonce.
	pub pool: Arc<P>,
	/// The factories' history index (`energy_getFactoryHistory`).
	pub history: Arc<crate::history::HistoryIndex>,
}

/// All RPC methods of the node, merged into one module.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: pallet_energy_bus_rpc::EnergyBusRuntimeApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		FactoryId,
		BusName,
		BusOwners,
	>,
	C::Api: pallet_energy_trading_rpc::EnergyTradingRuntimeApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		FactoryId,
		FactoryName,
	>,
	P: TransactionPool + 'static,
{
	use pallet_energy_bus_rpc::{EnergyBus, EnergyBusApiServer};
	use pallet_energy_trading_rpc::{EnergyTrading, EnergyTradingApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, history } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(
		EnergyBus::<_, Block, AccountId, Balance, BlockNumber, FactoryId, BusName, BusOwners>::new(
			client.clone(),
		)
		.into_rpc(),
	)?;
	module.merge(
		EnergyTrading::<_, Block, AccountId, Balance, BlockNumber, FactoryId, FactoryName>::new(
			client,
		)
		.into_rpc(),
	)?;

	module.merge(crate::history::FactoryHistoryApiServer::into_rpc(history))?;

	Ok(module)
}
