//! The original designs' scenarios, run through the `energy-client` library against a real
//! `energy-node --dev --tmp` (each test starts its own node and stops it).

mod common;

use common::DevNode;
use energy_client::{
	keys, runtime,
	units::PLANCKS_PER_ECT,
	views::{
		self, EnergyType, LockTermsView, MarketParamsView, OrderSide, RoundStatus, TradeStatus,
	},
	BatchPurchaseItem, BusChangeRequest, BusId, ChangeOutcome, EnergyClient, Error, FactoryId,
	NewAsk, NewBid, NewBus, NewFactory, NewOffer, NewTrade, NonceChoice, OfferId, OrderId,
	Purchase, RoundId, Settlement,
};

const KWH: u64 = 1_000;
/// 0.01 ECT: prices in the scenarios are whole cents per kWh.
const CENT: u128 = PLANCKS_PER_ECT / 100;

/// A factory's id.
fn factory(id: &str) -> FactoryId {
	id.parse().unwrap()
}

fn assert_pallet_error<T: std::fmt::Debug>(result: Result<T, Error>, pallet: &str, name: &str) {
	match result {
		Err(Error::Pallet { pallet: p, name: n, docs, .. }) => {
			assert_eq!((p.as_str(), n.as_str()), (pallet, name));
			assert!(!docs.is_empty(), "{pallet}::{name} comes with its docs");
		},
		other => panic!("expected {pallet}::{name}, got {other:?}"),
	}
}

#[tokio::test]
async fn factory_scenario_mints_trades_and_keeps_history() {
	let node = DevNode::start().await;
	let client = node.client().await;
	let alice = keys::signer("//Alice").unwrap();
	let dave = keys::signer("//Dave").unwrap();
	let (f01, f04) = (factory("Factory01"), factory("Factory04"));

	// Factory01 (Alice's, metered by her) starts with 1000 kWh, Factory04 (Dave's) with 300.
	assert_eq!(client.energy_balance(&f01).await.unwrap(), 1_000 * KWH);
	assert_eq!(client.energy_balance(&f04).await.unwrap(), 300 * KWH);
	assert_eq!(client.all_factories().await.unwrap().len(), 20);

	// Mint 500 kWh, within Factory01's allowance: a day at its 250 kW, 6,000 kWh.
	let rating = client.factory_rating(&f01).await.unwrap().unwrap();
	assert_eq!((rating.rated_power_w, rating.generation_allowance_wh), (250_000, 6_000 * KWH));
	let report = client.mint_energy(&alice, &f01, 500 * KWH).await.unwrap();
	assert_eq!(report.balance_wh, 1_500 * KWH);
	// At the block of the report, 500 kWh less (refilling since, at 250 kWh an hour).
	let at_report = client.at_block(report.outcome.block_hash);
	let rating = at_report.factory_rating(&f01).await.unwrap().unwrap();
	assert_eq!(rating.generation_allowance_wh, 5_500 * KWH);
	let minted = report.outcome;
	let event =
		minted.find_first::<runtime::energy_trading::events::EnergyMinted>().unwrap().unwrap();
	assert_eq!((event.energy_wh, event.balance_wh), (500 * KWH, 1_500 * KWH));
	assert!(minted.block_number >= 1);
	// A client pinned to the block before reads the state there, and cannot write.
	let parent = client.block_hash(minted.block_number - 1).await.unwrap().unwrap();
	let before_mint = client.at_block(parent);
	assert_eq!(before_mint.energy_balance(&f01).await.unwrap(), 1_000 * KWH);
	assert_eq!(client.at_block(minted.block_hash).energy_balance(&f01).await.unwrap(), 1_500 * KWH);
	assert!(matches!(
		before_mint.mint_energy(&alice, &f01, KWH).await,
		Err(energy_client::Error::Invalid(_))
	));
	let events = client.at_block(minted.block_hash).events().await.unwrap();
	assert!(events
		.iter()
		.any(|e| (e.pallet.as_str(), e.name.as_str()) == ("EnergyTrading", "EnergyMinted")));
	let found = client
		.at_block(minted.block_hash)
		.find_events::<runtime::energy_trading::events::EnergyMinted>()
		.await
		.unwrap();
	assert_eq!(found, vec![event]);
	assert_ne!(
		client.state_root(parent).await.unwrap(),
		client.state_root(minted.block_hash).await.unwrap()
	);

	// Trade 200 kWh at 0.08 ECT/kWh to Factory04: 16 ECT.
	let trade = NewTrade {
		seller: f01.clone(),
		buyer: f04.clone(),
		energy_wh: 200 * KWH,
		price_per_kwh: 8 * CENT,
	};
	let trade_id = client.create_trade(&alice, trade).await.unwrap().id;
	let trade = client.trade(trade_id).await.unwrap().unwrap();
	assert_eq!((trade.status, trade.total_price), (TradeStatus::Pending, 16 * PLANCKS_PER_ECT));

	let alice_account = keys::account_of(&alice);
	let dave_account = keys::account_of(&dave);
	let alice_before = client.free_balance(&alice_account).await.unwrap();
	let dave_before = client.free_balance(&dave_account).await.unwrap();
	let executed = client.execute_trade(&dave, trade_id, 16 * PLANCKS_PER_ECT).await.unwrap();
	assert_eq!(executed.paid, 16 * PLANCKS_PER_ECT);

	assert_eq!(client.energy_balance(&f01).await.unwrap(), 1_300 * KWH);
	assert_eq!(client.energy_balance(&f04).await.unwrap(), 500 * KWH);
	// Alice signed nothing since, so she gained exactly the price and got back the trade's
	// deposit (1 ECT, held while the trade was pending); Dave paid the price and a fee.
	let terms = client.trade_terms().await.unwrap();
	assert_eq!(
		(terms.deposit, terms.max_pending, terms.retention_blocks),
		(PLANCKS_PER_ECT, 32, 14_400)
	);
	let alice_after = client.free_balance(&alice_account).await.unwrap();
	assert_eq!(alice_after - alice_before, 16 * PLANCKS_PER_ECT + terms.deposit);
	let dave_after = client.free_balance(&dave_account).await.unwrap();
	assert!(dave_before - dave_after > 16 * PLANCKS_PER_ECT);
	assert_eq!(client.trade(trade_id).await.unwrap().unwrap().status, TradeStatus::Completed);
	assert_eq!(client.trades_of_factory(&f04).await.unwrap().len(), 1);

	// The history, from the node's index of the ledger's events: complete from genesis.
	let history = client.history_since(&f01, 0).await.unwrap();
	assert_eq!(history.complete_from, Some(0));
	let kinds: Vec<&str> = history.records.iter().map(|r| r.kind.as_str()).collect();
	assert_eq!(kinds, ["genesis", "minted", "tradeCreated", "tradeSold"]);
	let balances: Vec<u64> = history.records.iter().map(|r| r.balance_wh).collect();
	assert_eq!(balances, [1_000 * KWH, 1_500 * KWH, 1_300 * KWH, 1_300 * KWH]);
	assert_eq!(history.records[3].total_price, Some(16 * PLANCKS_PER_ECT));
	assert_eq!(history.records[3].trade_id, Some(trade_id));
	assert_eq!(history.records[3].counterparty, Some(f04.clone()));
	assert_eq!(u64::from(history.records[1].block), minted.block_number);
	assert!(history.records[0].is_final);
	// A page at a time, newest first.
	let newest = client.history_page(&f01, None, 3).await.unwrap();
	let kinds: Vec<&str> = newest.records.iter().map(|r| r.kind.as_str()).collect();
	assert_eq!(kinds, ["tradeSold", "tradeCreated", "minted"]);
	let older = client.history_page(&f01, newest.next, 3).await.unwrap();
	let kinds: Vec<&str> = older.records.iter().map(|r| r.kind.as_str()).collect();
	assert_eq!((kinds, older.next), (vec!["genesis"], None));
	// The buyer's side of the trade.
	let bought = client.history_since(&f04, 0).await.unwrap().records;
	assert_eq!(bought.last().unwrap().kind, "tradeBought");
	assert_eq!(bought.last().unwrap().balance_wh, 500 * KWH);

	// Errors come back by name, and change nothing.
	let bob = keys::signer("//Bob").unwrap();
	assert_pallet_error(
		client.mint_energy(&bob, &f01, KWH).await,
		"EnergyTrading",
		"NotFactoryMeter",
	);
	assert_pallet_error(
		client.transfer_energy(&alice, &f01, &factory("Factory02"), 10_000 * KWH).await,
		"EnergyTrading",
		"InsufficientEnergy",
	);
	assert_pallet_error(
		client.mint_energy(&alice, &f01, 6_000 * KWH).await,
		"EnergyTrading",
		"GenerationAboveRating",
	);
	assert_eq!(client.energy_balance(&f01).await.unwrap(), 1_300 * KWH);
	assert!(matches!(client.energy_balance(&factory("Nope")).await, Err(Error::NotFound(_))));

	// Registration is Root's, through sudo; its errors come out of the `Sudid` event.
	let new_factory = |id: &str| NewFactory {
		id: factory(id),
		name: "Harbour Tidal".into(),
		energy_type: energy_client::parse_energy_type("hydro").unwrap(),
		owner: keys::account("Ferdie").unwrap(),
		meter: None,
		rated_power_w: 50_000,
		initial_energy_wh: 100 * KWH,
	};
	client.register_factory(&alice, new_factory("Factory21")).await.unwrap();
	let registered = client.factory(&factory("Factory21")).await.unwrap().unwrap();
	assert_eq!((registered.energy_type, registered.energy_wh), (EnergyType::Hydro, 100 * KWH));
	assert_pallet_error(
		client.register_factory(&alice, new_factory("Factory01")).await,
		"EnergyTrading",
		"FactoryAlreadyExists",
	);
	assert_pallet_error(
		client.register_factory(&bob, new_factory("Factory22")).await,
		"Sudo",
		"RequireSudo",
	);

	// Meters and ratings are the registrar's: Ferdie, Factory21's owner, asks for Eve as its
	// meter; Alice (sudo) sets it and rates the factory anew.
	let (ferdie, eve) = (keys::signer("//Ferdie").unwrap(), keys::account("Eve").unwrap());
	let f21 = factory("Factory21");
	assert_pallet_error(client.set_meter(&ferdie, &f21, eve).await, "Sudo", "RequireSudo");
	client.request_meter(&ferdie, &f21, eve).await.unwrap();
	assert_eq!(client.meter_request(&f21).await.unwrap(), Some(eve));
	client.set_meter(&alice, &f21, eve).await.unwrap();
	assert_eq!(client.meter_request(&f21).await.unwrap(), None);
	assert_eq!(client.factory(&f21).await.unwrap().unwrap().meter, eve);
	client.set_rated_power(&alice, &f21, 1_000).await.unwrap();
	let rerated = client.factory_rating(&f21).await.unwrap().unwrap();
	assert_eq!((rerated.rated_power_w, rerated.generation_allowance_wh), (1_000, 24 * KWH));
}

#[tokio::test]
async fn market_scenario_owners_offers_purchases_batches_locks_and_replays() {
	let mut node = DevNode::start().await;
	let client = node.client().await;
	let [alice, bob, charlie, dave] =
		["//Alice", "//Bob", "//Charlie", "//Dave"].map(|suri| keys::signer(suri).unwrap());
	let account = |signer: &keys::Signer| keys::account_of(signer);

	// A bus with two owners; its threshold goes to 2 (one owner suffices while it is 1).
	let harbour = NewBus {
		name: "Harbour Grid".into(),
		owners: vec![account(&alice), account(&bob)],
		capacity_wh: 2_000 * KWH,
		base_price_per_kwh: 5 * CENT,
	};
	let bus = client.create_bus(&alice, harbour).await.unwrap().id;
	let to_two = client
		.request_bus_change(&alice, bus, BusChangeRequest::SetApprovalThreshold(2))
		.await
		.unwrap();
	assert!(matches!(to_two, ChangeOutcome::Applied { .. }));

	// Adding a third owner now needs both owners.
	let proposed = client
		.request_bus_change(&alice, bus, BusChangeRequest::AddOwner(account(&charlie)))
		.await
		.unwrap();
	let ChangeOutcome::Proposed { proposal_id, approvals: 1, threshold: 2, .. } = proposed else {
		panic!("one approval of two: {proposed:?}");
	};
	let proposals = client.bus_proposals(bus).await.unwrap();
	assert_eq!(proposals.len(), 1);
	assert_eq!(proposals[0].id, proposal_id);
	assert_eq!(proposals[0].approvals, vec![account(&alice)]);
	assert_pallet_error(
		client.approve_bus_change(&alice, bus, proposal_id).await,
		"EnergyBus",
		"AlreadyApproved",
	);
	assert_eq!(client.bus(bus).await.unwrap().unwrap().owners.len(), 2);
	let applied = client.approve_bus_change(&bob, bus, proposal_id).await.unwrap();
	assert!(matches!(applied, ChangeOutcome::Applied { .. }));
	// Applied, it cannot be approved again: an approval never opens a new proposal.
	assert_pallet_error(
		client.approve_bus_change(&charlie, bus, proposal_id).await,
		"EnergyBus",
		"ProposalNotFound",
	);
	let details = client.bus(bus).await.unwrap().unwrap();
	assert_eq!(details.owners, vec![account(&alice), account(&bob), account(&charlie)]);
	assert!(client.bus_proposals(bus).await.unwrap().is_empty());
	assert!(client.user_buses(&account(&charlie)).await.unwrap().contains(&bus));

	// Three offers, sent at once from three sellers.
	let offer = |id: &str, cents: u128| NewOffer {
		bus,
		factory: factory(id),
		energy_wh: 100 * KWH,
		price_per_kwh: cents * CENT,
	};
	let (a, b, c) = tokio::join!(
		client.create_offer(&alice, offer("Factory01", 6)),
		client.create_offer(&bob, offer("Factory02", 7)),
		client.create_offer(&charlie, offer("Factory03", 8)),
	);
	let offers = [a.unwrap().id, b.unwrap().id, c.unwrap().id];
	let listed = client.bus_offers(bus).await.unwrap();
	assert_eq!(listed.len(), 3);
	// Each is open for the offer lifetime (7 days of 6 s blocks) from its block.
	let lifetime = client.offer_lifetime().await.unwrap();
	assert_eq!(lifetime, 7 * 14_400);
	assert!(listed.iter().all(|offer| offer.expires_at == offer.created_at + lifetime));
	assert!(!client.bus_closing(bus).await.unwrap());
	assert_eq!(client.bus(bus).await.unwrap().unwrap().available_wh, 1_700 * KWH);

	// The listings: every bus in id order (the presets' three and this one), in pages that
	// follow `next_start_after`; an account's offers on every bus; an account's factories.
	let all = client.all_buses().await.unwrap();
	assert_eq!(
		all.iter().map(|b| b.id).collect::<Vec<_>>(),
		vec![BusId(0), BusId(1), BusId(2), bus]
	);
	assert_eq!(all[3], client.bus(bus).await.unwrap().unwrap());
	let first = client.buses_page(None, 3).await.unwrap();
	assert_eq!((first.buses.len(), first.next_start_after), (3, Some(BusId(2))));
	let last = client.buses_page(first.next_start_after, 3).await.unwrap();
	assert_eq!((last.buses, last.next_start_after), (vec![all[3].clone()], None));
	// Alice's genesis offers on buses 1 and 2, then this one.
	let alices: Vec<(OfferId, BusId)> = client
		.account_offers(&account(&alice))
		.await
		.unwrap()
		.iter()
		.map(|o| (o.id, o.bus_id))
		.collect();
	assert_eq!(alices, vec![(OfferId(4), BusId(1)), (OfferId(6), BusId(2)), (offers[0], bus)]);
	let factories: Vec<String> = client
		.owner_factories(&account(&alice))
		.await
		.unwrap()
		.into_iter()
		.map(|f| f.id.to_string())
		.collect();
	assert_eq!(factories, ["Factory01", "Factory07", "Factory13", "Factory19"]);

	// A partial purchase: 30 kWh of Alice's offer at 0.06 = 1.8 ECT.
	let f04 = factory("Factory04");
	let purchase = |offer: OfferId, energy_wh: u64, cents: u128, nonce: NonceChoice| Purchase {
		offer,
		energy_wh,
		max_price_per_kwh: cents * CENT,
		into: f04.clone(),
		nonce,
	};
	let factory04 = client.energy_balance(&f04).await.unwrap();
	let alice_before = client.free_balance(&account(&alice)).await.unwrap();
	let first =
		client.purchase(&dave, purchase(offers[0], 30 * KWH, 6, NonceChoice::Next)).await.unwrap();
	assert!(!first.already_processed());
	assert_eq!(first.purchases.len(), 1);
	assert_eq!(first.purchases[0].total_price, 180 * CENT);
	assert_eq!(client.energy_balance(&f04).await.unwrap(), factory04 + 30 * KWH);
	assert_eq!(client.free_balance(&account(&alice)).await.unwrap() - alice_before, 180 * CENT);
	assert_eq!(client.offer(offers[0]).await.unwrap().unwrap().available_wh, 70 * KWH);
	assert!(client.is_transaction_processed(first.receipt).await.unwrap());

	// The same purchase again with the same nonce: refused, found by its receipt, not bought.
	let replay = client
		.purchase(&dave, purchase(offers[0], 30 * KWH, 6, NonceChoice::Exactly(first.nonce)))
		.await
		.unwrap();
	assert!(replay.already_processed());
	assert_eq!(replay.receipt, first.receipt);
	assert_eq!(client.energy_balance(&f04).await.unwrap(), factory04 + 30 * KWH);
	// Another call with a used nonce is refused by name, and has no receipt.
	assert_pallet_error(
		client
			.purchase(&dave, purchase(offers[0], 5 * KWH, 6, NonceChoice::Exactly(first.nonce)))
			.await,
		"EnergyBus",
		"NonceAlreadyUsed",
	);
	let other = energy_client::purchase_receipt(
		&account(&dave),
		first.nonce,
		&purchase(offers[0], 5 * KWH, 6, NonceChoice::Next),
	);
	assert!(!client.is_transaction_processed(other).await.unwrap());
	assert_pallet_error(
		client
			.purchase(&dave, purchase(offers[0], KWH, 6, NonceChoice::Exactly(first.nonce + 5)))
			.await,
		"EnergyBus",
		"NonceTooHigh",
	);

	// A batch across the three offers, all or nothing.
	let items: Vec<BatchPurchaseItem> = offers
		.iter()
		.map(|&offer_id| BatchPurchaseItem {
			offer_id,
			energy_wh: 10 * KWH,
			max_price_per_kwh: 8 * CENT,
		})
		.collect();
	let batch = client.batch_purchase(&dave, &items, &f04, NonceChoice::Next).await.unwrap();
	assert_eq!(batch.nonce, first.nonce + 1);
	assert_eq!(batch.purchases.len(), 3);
	assert_eq!(client.energy_balance(&f04).await.unwrap(), factory04 + 60 * KWH);
	let mut too_much = items.clone();
	too_much[1].energy_wh = 1_000 * KWH;
	match client.batch_purchase(&dave, &too_much, &f04, NonceChoice::Next).await {
		Err(Error::Pallet { name, detail, .. }) => {
			assert_eq!(name, "BatchItemFailed");
			assert_eq!(detail.as_deref(), Some("item 1 failed: NotEnoughEnergy"));
		},
		other => panic!("expected BatchItemFailed, got {other:?}"),
	}
	assert_eq!(client.energy_balance(&f04).await.unwrap(), factory04 + 60 * KWH);

	// Two purchases at once from one account get consecutive nonces and both go through.
	let (one, two) = tokio::join!(
		client.purchase(&dave, purchase(offers[1], KWH, 7, NonceChoice::Next)),
		client.purchase(&dave, purchase(offers[2], KWH, 8, NonceChoice::Next)),
	);
	let mut nonces = [one.unwrap().nonce, two.unwrap().nonce];
	nonces.sort();
	assert_eq!(nonces, [batch.nonce + 1, batch.nonce + 2]);
	assert_eq!(client.market_nonce(&account(&dave)).await.unwrap(), batch.nonce + 3);
	assert_eq!(client.purchases(&account(&dave)).await.unwrap().len(), 6);

	// A lock that expires by itself after its blocks pass (3 blocks, set through sudo).
	let params = client.market_params().await.unwrap();
	client
		.set_market_params(&alice, MarketParamsView { lock_duration: 3, ..params })
		.await
		.unwrap();
	// One lock may take 10% of an offer by default; Root allows a quarter.
	let terms = client.lock_terms().await.unwrap();
	assert_eq!((terms.fee_per_billion, terms.min_fee), (10_000_000, CENT));
	let terms = LockTermsView { max_share_per_billion: 250_000_000, ..terms };
	client.set_lock_terms(&alice, terms.clone()).await.unwrap();
	assert_eq!(client.lock_terms().await.unwrap(), terms);
	// 20 kWh at 0.07 ECT/kWh hold 1.4 ECT; the fee is 1% of that, 0.014 ECT, paid to Bob.
	let quote = client.lock_quote(offers[1], 20 * KWH).await.unwrap().unwrap();
	assert_eq!(
		(quote.held, quote.fee, quote.max_energy_wh),
		(140 * CENT, 14 * CENT / 10, 25 * KWH)
	);
	let bob_before = client.free_balance(&account(&bob)).await.unwrap();
	let into = factory("Factory04");
	let lock =
		client.lock_offer(&dave, offers[1], 20 * KWH, &into, NonceChoice::Next).await.unwrap();
	assert_eq!((lock.held, lock.fee), (140 * CENT, 14 * CENT / 10));
	assert_eq!(client.free_balance(&account(&bob)).await.unwrap(), bob_before + 14 * CENT / 10);
	assert_eq!(lock.expires_at as u64, lock.outcome.block_number + 3);
	let locks = client.offer_locks(offers[1]).await.unwrap();
	assert_eq!((locks.locked_wh, locks.locks.len()), (20 * KWH, 1));
	assert_eq!(locks.locks[0].holder, account(&dave));
	assert_eq!(locks.locks[0].factory, into);
	// Others cannot buy locked energy: 89 kWh are left and 20 of them are locked.
	assert_pallet_error(
		client
			.purchase(
				&alice,
				Purchase {
					into: factory("Factory01"),
					..purchase(offers[1], 80 * KWH, 7, NonceChoice::Next)
				},
			)
			.await,
		"EnergyBus",
		"NotEnoughEnergy",
	);
	node.wait_for_block(&client, lock.expires_at as u64 + 1).await;
	let locks = client.offer_locks(offers[1]).await.unwrap();
	assert_eq!((locks.locked_wh, locks.locks.len()), (0, 0));
	let offer = client.offer(offers[1]).await.unwrap().unwrap();
	assert_eq!((offer.locked_wh, offer.available_wh), (0, 89 * KWH));
	assert_pallet_error(
		client.release_lock(&dave, lock.lock_id).await,
		"EnergyBus",
		"LockNotFound",
	);
}

/// The detail of a pallet error, asserting its name.
fn pallet_error_detail<T: std::fmt::Debug>(result: Result<T, Error>, name: &str) -> String {
	match result {
		Err(Error::Pallet { name: n, detail: Some(detail), .. }) if n == name => detail,
		other => panic!("expected EnergyBus::{name} with a detail, got {other:?}"),
	}
}

#[tokio::test]
async fn auction_orders_book_cancel_and_the_genesis_round_result() {
	let mut node = DevNode::start().await;
	let client = node.client().await;
	let ferdie = keys::signer("//Ferdie").unwrap();
	let me = keys::account_of(&ferdie);
	let bus = BusId(1);

	// Bus 1 runs 20-block rounds with the prices 0.06 ECT/kWh + k × 0.005 (k < 40); its first
	// round holds the four genesis orders until its gate, block 19. Bus 0 runs no auctions.
	let settings = client.auction_settings(bus).await.unwrap().unwrap();
	assert_eq!((settings.round_length, settings.tick_size, settings.ticks), (20, CENT / 2, 40));
	assert_eq!(client.auction_settings(BusId(0)).await.unwrap(), None);
	assert_eq!(client.current_round(BusId(0)).await.unwrap(), None);
	let round = client.current_round(bus).await.unwrap().unwrap();
	assert_eq!(
		(round.id, round.opened_at, round.gate_closes_at, round.orders, round.status),
		(RoundId(0), 0, 19, 4, RoundStatus::Open)
	);
	assert_eq!((round.price_of_tick(0), round.price_cap()), (6 * CENT, 255 * CENT / 10));
	assert_eq!(client.round(RoundId(0)).await.unwrap(), Some(round.clone()));

	// Ferdie bids at the lowest price and asks at the highest, both at once (consecutive
	// market nonces): neither meets an order of the other side, so the round clears as it
	// would have without them.
	let (f06, f12) = (factory("Factory06"), factory("Factory12"));
	let bid = NewBid {
		bus,
		energy_wh: 50 * KWH,
		limit_price_per_kwh: 6 * CENT,
		into: f06.clone(),
		nonce: NonceChoice::Next,
	};
	let ask = NewAsk {
		bus,
		factory: f12.clone(),
		energy_wh: 40 * KWH,
		limit_price_per_kwh: round.price_cap(),
		nonce: NonceChoice::Next,
	};
	let factory12 = client.energy_balance(&f12).await.unwrap();
	let (bid_placed, ask_placed) =
		tokio::join!(client.place_bid(&ferdie, bid.clone()), client.place_ask(&ferdie, ask));
	let (bid_placed, ask_placed) = (bid_placed.unwrap(), ask_placed.unwrap());
	assert_eq!((bid_placed.round_id, ask_placed.round_id), (RoundId(0), RoundId(0)));
	let mut nonces = [bid_placed.nonce, ask_placed.nonce];
	nonces.sort();
	assert_eq!(nonces, [0, 1]);
	assert!(client.is_transaction_processed(bid_placed.receipt).await.unwrap());
	assert!(client.is_transaction_processed(ask_placed.receipt).await.unwrap());
	assert_eq!(client.energy_balance(&f12).await.unwrap(), factory12 - 40 * KWH);

	// The book: the genesis orders and Ferdie's, lowest price first.
	let book = client.round_book(RoundId(0)).await.unwrap().unwrap();
	let levels: Vec<(u16, u128, u64, u64)> =
		book.levels.iter().map(|l| (l.tick, l.price_per_kwh, l.bid_wh, l.ask_wh)).collect();
	assert_eq!(
		levels,
		[
			(0, 6 * CENT, 50 * KWH, 0),
			(1, 65 * CENT / 10, 80 * KWH, 0),
			(2, 7 * CENT, 0, 300 * KWH),
			(6, 9 * CENT, 200 * KWH, 0),
			(8, 10 * CENT, 0, 200 * KWH),
			(39, 255 * CENT / 10, 0, 40 * KWH),
		]
	);

	// Ferdie's orders: the bid holds its payment at the limit (50 kWh at 0.06: 3 ECT), each
	// order a 1 ECT deposit.
	let orders = client.account_orders(&me).await.unwrap();
	let summary: Vec<_> = orders
		.iter()
		.map(|o| (o.id, o.side, o.factory.as_str(), o.energy_wh, o.escrow, o.deposit, o.nonce))
		.collect();
	assert_eq!(
		summary,
		[
			(
				bid_placed.order_id,
				OrderSide::Bid,
				"Factory06",
				50 * KWH,
				3 * PLANCKS_PER_ECT,
				PLANCKS_PER_ECT,
				Some(bid_placed.nonce)
			),
			(
				ask_placed.order_id,
				OrderSide::Ask,
				"Factory12",
				40 * KWH,
				0,
				PLANCKS_PER_ECT,
				Some(ask_placed.nonce)
			),
		]
	);
	assert_eq!(client.order(bid_placed.order_id).await.unwrap().as_ref(), Some(&orders[0]));

	// The same bid again with its nonce is not placed twice: the answer is the order placed
	// then, found by its receipt and nonce.
	let again = NewBid { nonce: NonceChoice::Exactly(bid_placed.nonce), ..bid.clone() };
	let replay = client.place_bid(&ferdie, again).await.unwrap();
	assert!(replay.already_processed());
	assert_eq!((replay.order_id, replay.receipt), (bid_placed.order_id, bid_placed.receipt));
	assert_eq!(client.account_orders(&me).await.unwrap().len(), 2);

	// Refused by name: a limit off the grid (its detail tells the grid), a cancellation by
	// someone else, a claim before the round cleared.
	let off_grid = NewBid { energy_wh: KWH, limit_price_per_kwh: 875 * CENT / 100, ..bid };
	assert_eq!(
		pallet_error_detail(client.place_bid(&ferdie, off_grid).await, "PriceNotOnGrid"),
		"round 0 of bus 1 takes limits from 0.06 ECT/kWh to 0.255 ECT/kWh in steps of 0.005 ECT/kWh"
	);
	let bob = keys::signer("//Bob").unwrap();
	assert_pallet_error(
		client.cancel_order(&bob, ask_placed.order_id).await,
		"EnergyBus",
		"NotOrderOwner",
	);
	assert_pallet_error(
		client.claim(&ferdie, bid_placed.order_id).await,
		"EnergyBus",
		"RoundNotCleared",
	);

	// Cancelling the ask before the gate: its energy comes back; it leaves the book and the
	// orders.
	client.cancel_order(&ferdie, ask_placed.order_id).await.unwrap();
	assert_eq!(client.energy_balance(&f12).await.unwrap(), factory12);
	let book = client.round_book(RoundId(0)).await.unwrap().unwrap();
	assert_eq!(book.levels.last().map(|l| l.tick), Some(8));
	let ids: Vec<OrderId> =
		client.account_orders(&me).await.unwrap().iter().map(|o| o.id).collect();
	assert_eq!(ids, [bid_placed.order_id]);
	assert!(client.order(ask_placed.order_id).await.unwrap().is_none());

	// Ferdie's bid trades nothing (its limit is below the price) and gets its 3 ECT back.
	let expected = Settlement {
		order_id: bid_placed.order_id,
		round_id: RoundId(0),
		owner: me,
		side: OrderSide::Bid,
		filled_wh: 0,
		amount: 0,
		grid_fee: 0,
		refund: 3 * PLANCKS_PER_ECT,
		returned_wh: 0,
	};
	// A claim sent once block 19 (the gate) is in lands in block 20, which clears the round
	// before its transactions and settles the other orders after them: the claim settles the
	// bid itself. Should it land in a later block, the chain had settled the bid already.
	node.wait_for_block(&client, 19).await;
	match client.claim(&ferdie, bid_placed.order_id).await {
		Ok(claimed) => assert_eq!(claimed.settlement, expected),
		Err(error) => assert!(error.is_pallet_error("EnergyBus", "OrderNotFound"), "{error}"),
	}

	// Block 20 clears round 0: Dave's 200 kWh bid at 0.09 meets Eve's 300 kWh ask at 0.07;
	// every price from 0.07 to 0.09 trades 200 kWh, and the middle one, 0.08 ECT/kWh, is the
	// price. The round's orders are settled by the chain, and round 1 is open.
	node.wait_for_block(&client, 21).await;
	let results = client.round_results(bus).await.unwrap();
	assert_eq!(results.len(), 1);
	let result = &results[0];
	assert_eq!(
		(result.id, result.status, result.price_per_kwh, result.volume_wh),
		(RoundId(0), RoundStatus::Cleared, Some(8 * CENT), Some(200 * KWH))
	);
	assert_eq!((result.orders, result.filled_orders, result.unsettled), (5, 2, 0));
	// Round 0 opened at genesis, before bus 1's grid fee was set: its bids paid none.
	assert_eq!((result.grid_fee_per_kwh, result.grid_fees), (0, 0));
	let next = client.current_round(bus).await.unwrap().unwrap();
	assert_eq!((next.id, next.opened_at, next.gate_closes_at), (RoundId(1), 20, 39));
	assert_eq!(client.round_book(RoundId(0)).await.unwrap(), None);
	assert!(client.account_orders(&me).await.unwrap().is_empty());

	// Every order of round 0 settled, in block 20 or soon after: Ferdie's as above, Dave's
	// paying 0.08 ECT/kWh for his 200 kWh.
	let mut settled = Vec::new();
	for number in 20..=client.best_block().await.unwrap().number {
		let hash = client.block_hash(number).await.unwrap().unwrap();
		let events = client
			.at_block(hash)
			.find_events::<runtime::energy_bus::events::OrderSettled>()
			.await
			.unwrap();
		settled.extend(events.into_iter().map(Settlement::from));
	}
	assert_eq!(settled.len(), 5, "every order of round 0 settled");
	assert!(settled.contains(&expected), "{settled:#?}");
	let daves = settled.iter().find(|s| s.order_id == OrderId(2)).unwrap();
	assert_eq!((daves.filled_wh, daves.amount), (200 * KWH, 16 * PLANCKS_PER_ECT));

	// Settled, it cannot be claimed: the error says so, and tells an order never placed apart.
	let detail =
		pallet_error_detail(client.claim(&ferdie, bid_placed.order_id).await, "OrderNotFound");
	assert!(detail.starts_with("order 4 was placed and has been settled or cancelled"), "{detail}");
	let detail = pallet_error_detail(client.claim(&ferdie, OrderId(1_000)).await, "OrderNotFound");
	assert_eq!(detail, "no order 1000 was placed yet; the next order gets id 6");
}

#[tokio::test]
async fn grid_fees_are_paid_by_buyers_and_claimed_by_owners_by_their_shares() {
	let node = DevNode::start().await;
	let client = node.client().await;
	let [alice, bob, dave, ferdie] =
		["//Alice", "//Bob", "//Dave", "//Ferdie"].map(|suri| keys::signer(suri).unwrap());
	let bus = BusId(1);

	// Bus 1's owners Bob and Dave (threshold 1) charge 0.005 ECT/kWh and share it equally.
	let fee = client.grid_fee(bus).await.unwrap().unwrap();
	assert_eq!((fee.per_kwh, fee.total_shares, fee.unclaimed), (CENT / 2, 2, 0));
	assert_eq!(client.grid_fee(BusId(99)).await.unwrap(), None);
	// Bob raises the fee to 0.01 and takes 3 shares to Dave's 1: each applies at once.
	for change in [
		BusChangeRequest::SetGridFee(CENT),
		BusChangeRequest::SetFeeShares(keys::account_of(&bob), 3),
	] {
		let done = client.request_bus_change(&bob, bus, change).await.unwrap();
		assert!(matches!(done, ChangeOutcome::Applied { .. }), "{done:?}");
	}

	// A new offer carries the fee; Ferdie pays price plus fee, 0.85 + 0.1 ECT for 10 kWh.
	let offer = NewOffer {
		bus,
		factory: factory("Factory13"),
		energy_wh: 100 * KWH,
		price_per_kwh: 17 * CENT / 2,
	};
	let offer = client.create_offer(&alice, offer).await.unwrap().id;
	assert_eq!(client.offer(offer).await.unwrap().unwrap().grid_fee_per_kwh, CENT);
	let purchase = Purchase {
		offer,
		energy_wh: 10 * KWH,
		max_price_per_kwh: 19 * CENT / 2,
		into: factory("Factory06"),
		nonce: NonceChoice::Next,
	};
	let bought = client.purchase(&ferdie, purchase).await.unwrap();
	let made = &bought.purchases[0];
	assert_eq!((made.total_price, made.grid_fee), (85 * CENT, 10 * CENT));

	// The pot holds 0.1 ECT: Bob may claim 3/4 of it, Dave 1/4.
	let fee = client.grid_fee(bus).await.unwrap().unwrap();
	assert_eq!((fee.per_kwh, fee.total_shares, fee.unclaimed), (CENT, 4, 10 * CENT));
	let claimable = client.claimable_grid_fees(&keys::account_of(&bob)).await.unwrap();
	let bobs = claimable.iter().find(|c| c.bus_id == bus).unwrap();
	assert_eq!((bobs.shares, bobs.amount), (3, 15 * CENT / 2));
	let claimed = client.claim_grid_fees(&bob, bus).await.unwrap();
	assert_eq!(claimed.amount, 15 * CENT / 2);
	assert_eq!(client.grid_fee(bus).await.unwrap().unwrap().unclaimed, 5 * CENT / 2);

	// Nothing left for Bob; shares and auction settings out of range are refused by name.
	let zero_shares = BusChangeRequest::SetFeeShares(keys::account_of(&dave), 0);
	let no_ticks = views::AuctionSettingsView { round_length: 10, tick_size: CENT, ticks: 0 };
	let (again, shares, settings) = tokio::join!(
		client.claim_grid_fees(&bob, bus),
		client.request_bus_change(&dave, bus, zero_shares),
		client.request_bus_change(&dave, bus, BusChangeRequest::SetAuction(Some(no_ticks))),
	);
	assert_pallet_error(again, "EnergyBus", "NoGridFees");
	assert_pallet_error(shares, "EnergyBus", "InvalidFeeShares");
	assert_pallet_error(settings, "EnergyBus", "InvalidAuctionSettings");
	// Dave turns bus 1's auctions off.
	let off = client.request_bus_change(&dave, bus, BusChangeRequest::SetAuction(None));
	assert!(matches!(off.await.unwrap(), ChangeOutcome::Applied { .. }));
	assert_eq!(client.auction_settings(bus).await.unwrap(), None);
}

#[tokio::test]
async fn an_unreachable_node_is_reported_as_such() {
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	match EnergyClient::connect(&format!("ws://127.0.0.1:{port}")).await {
		Err(Error::Unreachable { url, .. }) => assert!(url.ends_with(&port.to_string())),
		other => panic!("expected Unreachable, got {:?}", other.map(|_| ())),
	}
}
