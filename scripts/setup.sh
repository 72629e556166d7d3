#!/usr/bin/env bash
# Makes sure this machine can build Energy Chain: a Rust toolchain that targets `wasm32v1-none`
# (for the runtime), the native build prerequisites (clang, protoc), cargo-nextest and the browser
# the web app's tests drive (Debian's chromium). Idempotent and silent when
# everything is already there; never asks a question.
#
# Order of preference for the Wasm toolchain:
#   1. a toolchain that already has `wasm32v1-none` (the default one, or $WASM_BUILD_TOOLCHAIN);
#   2. `rustup target add wasm32v1-none` (works on any machine with internet access);
#   3. on Debian without internet: Debian's `rustc-web` linked as the rustup toolchain `web`, with
#      `core`/`alloc` for `wasm32v1-none` built once from `rust-web-src` into its sysroot
#      (see shared/BUILD.md for why each step is needed).
#
# It writes the chosen toolchain to "$ENERGY_CACHE/wasm-toolchain.env", which scripts/env.sh sources.
set -euo pipefail

ENERGY_CACHE="${ENERGY_CACHE:-$HOME/.cache/energy-chain}"
mkdir -p "$ENERGY_CACHE"
ENV_FILE="$ENERGY_CACHE/wasm-toolchain.env"
WASM_TARGET=wasm32v1-none

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
	else log "need root for: $*"; return 1
	fi
}

APT_UPDATED=
apt_install() {
	command -v apt-get >/dev/null 2>&1 || { log "no apt-get: install $* by hand"; return 1; }
	if [ -z "$APT_UPDATED" ]; then
		as_root apt-get update -qq >&2
		APT_UPDATED=1
	fi
	log "installing $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# --- native build prerequisites --------------------------------------------------------------
missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || missing+=(libclang-dev)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v make >/dev/null 2>&1 || missing+=(make)
# The font energy-bench draws its charts' text in.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# The web app's browser tests drive Debian's Chromium (never `playwright install`: it downloads
# browsers from outside the package registries).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

# scripts/test.sh runs the workspace's tests side by side with cargo-nextest (on this project's
# machines already; built from crates.io otherwise, once, in a few minutes).
if ! cargo nextest --version >/dev/null 2>&1; then
	log "installing cargo-nextest"
	cargo install --locked -q cargo-nextest >&2
fi

# --- a toolchain that can build the Wasm runtime -------------------------------------------------
has_wasm_target() { # $1: toolchain name, or empty for the default toolchain
	local tc=() libdir
	[ -n "$1" ] && tc=("+$1")
	libdir="$(rustc "${tc[@]}" --print target-libdir --target "$WASM_TARGET" 2>/dev/null)" || return 1
	compgen -G "$libdir/libcore-*.rlib" >/dev/null
}

write_env() {
	printf 'export WASM_BUILD_TOOLCHAIN=%s\n' "$1" >"$ENV_FILE"
	[ -n "$1" ] || : >"$ENV_FILE"
	log "wasm toolchain: ${1:-default}"
}

# ENERGY_WASM_VIA_DEBIAN=1 skips straight to the Debian route (to test it on a machine with internet).
if [ -z "${ENERGY_WASM_VIA_DEBIAN:-}" ]; then
	if [ -n "${WASM_BUILD_TOOLCHAIN:-}" ] && has_wasm_target "$WASM_BUILD_TOOLCHAIN"; then
		write_env "$WASM_BUILD_TOOLCHAIN"; exit 0
	fi
	if has_wasm_target ""; then write_env ""; exit 0; fi
	if has_wasm_target web; then write_env web; exit 0; fi
	if timeout 120 rustup target add "$WASM_TARGET" >/dev/null 2>&1 && has_wasm_target ""; then
		write_env ""; exit 0
	fi
fi

log "rustup cannot download $WASM_TARGET here; using Debian's rustc-web"
need=()
for pkg in rustc-web cargo-web rust-web-src rust-web-llvm lld-22; do
	dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then apt_install "${need[@]}"; fi
rustup toolchain list | grep -q '^web' || rustup toolchain link web /usr

# Build core, alloc and compiler_builtins for the target once, with bitcode for the runtime's LTO.
seed="$(mktemp -d)"
trap 'rm -rf "$seed"' EXIT
mkdir -p "$seed/src"
cat >"$seed/Cargo.toml" <<'TOML'
[package]
name = "wasm-sysroot-seed"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
panic = "abort"
TOML
printf '#![no_std]\n#[panic_handler]\nfn p(_: &core::panic::PanicInfo) -> ! { loop {} }\n' >"$seed/src/lib.rs"
(
	cd "$seed"
	CARGO_TARGET_DIR="$seed/target" RUSTFLAGS='-C embed-bitcode=yes' RUSTC_BOOTSTRAP=1 \
		cargo +web build -q --release --target "$WASM_TARGET" -Zbuild-std=core,alloc >&2
)
lib="$(rustc +web --print sysroot)/lib/rustlib/$WASM_TARGET/lib"
as_root mkdir -p "$lib"
as_root cp "$seed"/target/"$WASM_TARGET"/release/deps/lib{core,alloc,compiler_builtins}-*.{rlib,rmeta} "$lib"/
has_wasm_target web || { log "failed to install $WASM_TARGET for the web toolchain"; exit 1; }
write_env web
