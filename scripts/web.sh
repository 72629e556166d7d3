#!/usr/bin/env bash
# The web app (web/): installs its locked npm packages when they changed (`npm ci`, which also
# regenerates the polkadot-api descriptors from client/metadata/energy.scale) and builds it into
# web/dist when a source is newer than the last build.
#
#   scripts/web.sh build    install and build (the default)
#   scripts/web.sh serve    build, then serve web/dist on ENERGY_WEB_PORT (default 3000) until
#                           stopped; the app connects to ws://127.0.0.1:9944 unless ?rpc= says
#                           otherwise
# Needs Node.js 20 or newer and npm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
mode="${1:-build}"

for tool in node npm; do
	if ! command -v "$tool" >/dev/null; then
		echo "web: $tool is not installed (Node.js 20 or newer is needed)" >&2
		exit 1
	fi
done
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
	echo "web: Node.js $(node --version) is too old: 20 or newer is needed" >&2
	exit 1
fi

cd "$web"
# `npm ci` again only when the lockfile or the metadata changed since the last install.
stamp=node_modules/.energy-installed
inputs="$(cat package-lock.json "$root/client/metadata/energy.scale" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$inputs" ]; then
	echo "web: npm ci (web/)"
	# The descriptors are regenerated from the metadata by the postinstall step; a stale
	# generated.json would make it skip them.
	rm -rf .papi/descriptors/dist .papi/descriptors/generated.json
	npm ci --no-audit --no-fund --prefer-offline
	echo "$inputs" >"$stamp"
fi

built=dist/index.html
if [ ! -f "$built" ] || [ -n "$(find src index.html vite.config.ts package-lock.json .papi -newer "$built" -print -quit)" ]; then
	echo "web: building web/dist"
	npm run --silent build
fi

if [ "$mode" = serve ]; then
	port="${ENERGY_WEB_PORT:-3000}"
	exec node_modules/.bin/vite preview --port "$port" --strictPort
fi
