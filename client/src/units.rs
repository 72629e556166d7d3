//! Energy amounts and prices as people write them, and as the chain stores them.
//!
//! The chain counts energy in whole watt-hours (`u64`) and money in plancks, the smallest unit of
//! ECT (1 ECT = 10^12 plancks); prices are per kWh. Parsing is exact decimal arithmetic, never
//! floating point: `1.5kWh` is 1500 Wh, `0.08` is 80 000 000 000 plancks per kWh, and an amount
//! that is not a whole number of Wh or plancks is refused rather than rounded.

use std::fmt;

/// Decimals of the native currency, ECT.
pub const ECT_DECIMALS: u32 = 12;
/// Plancks in one ECT.
pub const PLANCKS_PER_ECT: u128 = 10u128.pow(ECT_DECIMALS);

/// Why a written amount was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAmountError {
	/// What was written.
	pub input: String,
	/// Why it was refused.
	pub reason: String,
}

impl fmt::Display for ParseAmountError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "cannot read {:?}: {}", self.input, self.reason)
	}
}

impl std::error::Error for ParseAmountError {}

fn refuse(input: &str, reason: impl Into<String>) -> ParseAmountError {
	ParseAmountError { input: input.to_string(), reason: reason.into() }
}

/// Reads a non-negative decimal number `int[.frac]` and scales it by `10^scale`, exactly.
fn scaled_decimal(input: &str, number: &str, scale: u32) -> Result<u128, ParseAmountError> {
	let (int, frac) = match number.split_once('.') {
		Some((int, frac)) => (int, frac),
		None => (number, ""),
	};
	let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
	if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
		return Err(refuse(input, "expected a number such as 1500, 1.5 or 0.08"));
	}
	let frac = frac.trim_end_matches('0');
	if frac.len() as u32 > scale {
		return Err(refuse(input, "more decimals than the smallest unit allows"));
	}
	let overflow = || refuse(input, "too large");
	let int: u128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| overflow())? };
	let frac_value: u128 =
		if frac.is_empty() { 0 } else { frac.parse().map_err(|_| overflow())? };
	let frac_scaled = frac_value * 10u128.pow(scale - frac.len() as u32);
	int.checked_mul(10u128.pow(scale))
		.and_then(|whole| whole.checked_add(frac_scaled))
		.ok_or_else(overflow)
}

/// Reads an energy amount into Wh: `1500Wh`, `1.5kWh`, `200 kWh`, `2MWh`, `0.5GWh` (units are
/// case-insensitive), or a bare whole number of Wh such as `1500`.
pub fn parse_energy(input: &str) -> Result<u64, ParseAmountError> {
	let units = [("", 0), ("wh", 0), ("kwh", 3), ("mwh", 6), ("gwh", 9)];
	let wh = parse_in_units(input, &units, "Wh, kWh, MWh or GWh", "Wh")?;
	u64::try_from(wh).map_err(|_| refuse(input, "more Wh than a u64 holds"))
}

/// Reads a decimal number followed by one of `units` (lower-case name, power of ten of the
/// smallest unit; `""` for a bare number) as a whole number of the smallest unit, `base`.
/// Refusals name the units (`names`) or say that the amount is not a whole number of `base`.
fn parse_in_units(
	input: &str,
	units: &[(&str, u32)],
	names: &str,
	base: &str,
) -> Result<u128, ParseAmountError> {
	let text = input.trim();
	let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
	let (number, unit) = text.split_at(split);
	let unit = unit.trim().to_ascii_lowercase();
	let Some(&(_, scale)) = units.iter().find(|(name, _)| *name == unit) else {
		return Err(refuse(input, format!("unknown unit {unit:?}; use {names}")));
	};
	scaled_decimal(input, number, scale).map_err(|error| {
		if error.reason.starts_with("more decimals") {
			refuse(input, format!("not a whole number of {base}"))
		} else {
			error
		}
	})
}

/// Reads a power into W: `500W`, `250kW`, `2.5MW`, `1GW` (units are case-insensitive), or a
/// bare whole number of W such as `500`. A factory's rated power is a `u32` of W (at most about
/// 4.29 GW).
pub fn parse_power(input: &str) -> Result<u32, ParseAmountError> {
	let units = [("", 0), ("w", 0), ("kw", 3), ("mw", 6), ("gw", 9)];
	let watts = parse_in_units(input, &units, "W, kW, MW or GW", "W")?;
	u32::try_from(watts).map_err(|_| refuse(input, "more than 4,294,967,295 W"))
}

/// Reads a share as a percentage into parts per billion: `1%`, `12.5%`, `100%` (the `%` may be
/// left out). At most 100%, with at most 7 decimals.
pub fn parse_share(input: &str) -> Result<u32, ParseAmountError> {
	let text = input.trim();
	let number = text.strip_suffix('%').unwrap_or(text).trim();
	let per_billion = scaled_decimal(input, number, 7)?;
	if per_billion > 1_000_000_000 {
		return Err(refuse(input, "more than 100%"));
	}
	Ok(per_billion as u32)
}

/// Shows a share in parts per billion as a percentage: `1%`, `12.5%`, `0.0000001%`.
pub fn format_share(per_billion: u32) -> String {
	format!("{}%", decimal(per_billion.into(), 7))
}

/// Shows W as people read them: `500 W`, `250 kW`, `2.5 MW`.
pub fn format_power(watts: u32) -> String {
	match watts {
		0..=999 => format!("{watts} W"),
		1_000..=999_999 => format!("{} kW", decimal(watts.into(), 3)),
		_ => format!("{} MW", decimal(watts.into(), 6)),
	}
}

/// Reads an amount of ECT into plancks: `16`, `0.08`, `1.5ECT`, `0.08 ECT/kWh` (a trailing
/// `ECT` or `ECT/kWh` is allowed, so prices read naturally), or `800planck` for plancks.
pub fn parse_ect(input: &str) -> Result<u128, ParseAmountError> {
	let text = input.trim();
	let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
	let (number, unit) = text.split_at(split);
	let scale = match unit.trim().to_ascii_lowercase().as_str() {
		"" | "ect" | "ect/kwh" => ECT_DECIMALS,
		"planck" | "plancks" | "planck/kwh" => 0,
		other => {
			return Err(refuse(input, format!("unknown unit {other:?}; write ECT, e.g. 0.08")))
		},
	};
	scaled_decimal(input, number, scale)
}

/// Shows a decimal `value / 10^scale` without trailing zeros: `1.5`, `16`, `0.08`.
fn decimal(value: u128, scale: u32) -> String {
	let unit = 10u128.pow(scale);
	let (int, frac) = (value / unit, value % unit);
	if frac == 0 {
		return int.to_string();
	}
	let frac = format!("{:0width$}", frac, width = scale as usize);
	format!("{int}.{}", frac.trim_end_matches('0'))
}

/// Shows Wh as people read them: `500 Wh`, `1.5 kWh`, `1300 kWh`, `25 MWh` (kWh up to
/// 10 MWh, the scale of a factory's daily output).
pub fn format_energy(wh: u64) -> String {
	match wh {
		0..=999 => format!("{wh} Wh"),
		1_000..=9_999_999 => format!("{} kWh", decimal(wh.into(), 3)),
		_ => format!("{} MWh", decimal(wh.into(), 6)),
	}
}

/// Shows plancks as ECT: `16 ECT`, `0.08 ECT`.
pub fn format_ect(plancks: u128) -> String {
	format!("{} ECT", decimal(plancks, ECT_DECIMALS))
}

/// Shows a price per kWh: `0.08 ECT/kWh`.
pub fn format_price(plancks_per_kwh: u128) -> String {
	format!("{} ECT/kWh", decimal(plancks_per_kwh, ECT_DECIMALS))
}

/// What `energy_wh` costs at `price_per_kwh`, rounded up as the chain does:
/// `ceil(energy_wh × price_per_kwh / 1000)`, or `None` on overflow.
pub fn total_price(energy_wh: u64, price_per_kwh: u128) -> Option<u128> {
	(energy_wh as u128).checked_mul(price_per_kwh).map(|milli| milli.div_ceil(1000))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn shares_read_and_show_as_percentages() {
		assert_eq!(parse_share("1%").unwrap(), 10_000_000);
		assert_eq!(parse_share("12.5 %").unwrap(), 125_000_000);
		assert_eq!(parse_share("100").unwrap(), 1_000_000_000);
		assert!(parse_share("100.1%").is_err());
		assert!(parse_share("0.00000001%").is_err());
		assert!(parse_share("ten%").is_err());
		assert_eq!(format_share(10_000_000), "1%");
		assert_eq!(format_share(125_000_000), "12.5%");
		assert_eq!(format_share(1), "0.0000001%");
	}

	#[test]
	fn energy_in_every_unit() {
		assert_eq!(parse_energy("1500Wh"), Ok(1_500));
		assert_eq!(parse_energy("1.5kWh"), Ok(1_500));
		assert_eq!(parse_energy("200kWh"), Ok(200_000));
		assert_eq!(parse_energy("200 KWH"), Ok(200_000));
		assert_eq!(parse_energy("2MWh"), Ok(2_000_000));
		assert_eq!(parse_energy("0.5GWh"), Ok(500_000_000));
		assert_eq!(parse_energy("1500"), Ok(1_500));
		assert_eq!(parse_energy(".5kWh"), Ok(500));
		assert_eq!(parse_energy("1.000kWh"), Ok(1_000));
	}

	#[test]
	fn power_in_every_unit() {
		assert_eq!(parse_power("500W"), Ok(500));
		assert_eq!(parse_power("250kW"), Ok(250_000));
		assert_eq!(parse_power("2.5 MW"), Ok(2_500_000));
		assert_eq!(parse_power("1gw"), Ok(1_000_000_000));
		assert_eq!(parse_power("42"), Ok(42));
		assert_eq!(parse_power("1.5W").unwrap_err().reason, "not a whole number of W");
		assert_eq!(parse_power("5GW").unwrap_err().reason, "more than 4,294,967,295 W");
		assert!(parse_power("5 hp").unwrap_err().reason.starts_with("unknown unit"));
		assert_eq!(format_power(500), "500 W");
		assert_eq!(format_power(250_000), "250 kW");
		assert_eq!(format_power(2_500_000), "2.5 MW");
	}

	#[test]
	fn energy_refusals_say_why() {
		let reason = |input: &str| parse_energy(input).unwrap_err().reason;
		assert_eq!(reason("1.2345kWh"), "not a whole number of Wh");
		assert_eq!(reason("1.5Wh"), "not a whole number of Wh");
		assert!(reason("12 joules").starts_with("unknown unit"));
		assert!(reason("kWh").starts_with("expected a number"));
		assert!(
			reason("-5kWh").starts_with("unknown unit") || reason("-5kWh").starts_with("expected")
		);
		assert!(reason("1.2.3kWh").starts_with("expected a number"));
		assert_eq!(reason("99999999999999999999Wh"), "more Wh than a u64 holds");
		assert_eq!(
			parse_energy("1x").unwrap_err().to_string(),
			"cannot read \"1x\": unknown unit \"x\"; use Wh, kWh, MWh or GWh"
		);
	}

	#[test]
	fn prices_in_ect() {
		assert_eq!(parse_ect("0.08"), Ok(80_000_000_000));
		assert_eq!(parse_ect("0.08 ECT/kWh"), Ok(80_000_000_000));
		assert_eq!(parse_ect("16ECT"), Ok(16 * PLANCKS_PER_ECT));
		assert_eq!(parse_ect("800planck"), Ok(800));
		assert_eq!(parse_ect("0.000000000001"), Ok(1));
		assert!(parse_ect("0.0000000000001").is_err());
		assert!(parse_ect("0.08 USD").unwrap_err().reason.starts_with("unknown unit"));
		assert!(parse_ect("1.5planck").is_err());
	}

	#[test]
	fn formatting_round_trips() {
		assert_eq!(format_energy(500), "500 Wh");
		assert_eq!(format_energy(1_500), "1.5 kWh");
		assert_eq!(format_energy(1_300_000), "1300 kWh");
		assert_eq!(format_energy(999_999), "999.999 kWh");
		assert_eq!(format_energy(25_500_000), "25.5 MWh");
		assert_eq!(format_ect(16 * PLANCKS_PER_ECT), "16 ECT");
		assert_eq!(format_ect(80_000_000_000), "0.08 ECT");
		assert_eq!(format_price(80_000_000_000), "0.08 ECT/kWh");
		for wh in [0u64, 1, 999, 1_000, 1_500, 123_456, 1_300_000, 987_654_321] {
			let shown = format_energy(wh).replace(' ', "");
			assert_eq!(parse_energy(&shown), Ok(wh), "{shown}");
		}
		for plancks in [0u128, 1, 80_000_000_000, 16 * PLANCKS_PER_ECT, 123_456_789_012_345] {
			assert_eq!(parse_ect(&format_ect(plancks)), Ok(plancks));
		}
	}

	#[test]
	fn total_price_rounds_up_like_the_chain() {
		// The scenario: 200 kWh at 0.08 ECT/kWh is 16 ECT.
		assert_eq!(total_price(200_000, 80_000_000_000), Some(16 * PLANCKS_PER_ECT));
		assert_eq!(total_price(1, 1), Some(1));
		assert_eq!(total_price(1_000, 1), Some(1));
		assert_eq!(total_price(1_001, 1), Some(2));
		assert_eq!(total_price(u64::MAX, u128::MAX), None);
	}
}
