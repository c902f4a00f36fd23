#!/usr/bin/env bash
# Builds the broker's page into site/dist (git-ignored): the WebAssembly in the release-wasm
# profile and its JS bindings, optimised for speed by wasm-opt, the page, the tariff packs and a
# few example declarations. Installs what is missing: the wasm32 target, the wasm-bindgen CLI
# matching the pinned crate, and site/node_modules (binaryen's wasm-opt, Playwright for the tests).
# Serve the result with: python3 -m http.server -d site/dist
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
bindgen_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' Cargo.toml)
test -n "$bindgen_version" || { echo "build.sh: wasm-bindgen must be pinned with = in Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  # The CLI must match the crate exactly: the glue and the module are generated together.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi
if [ ! -x site/node_modules/.bin/wasm-opt ] || [ ! -d site/node_modules/playwright-core ]; then
  (cd site && npm ci --no-audit --no-fund)
fi

cargo build --profile release-wasm --target "$target" -p preclear-wasm --locked

rm -rf site/dist
mkdir -p site/dist/pkg
wasm-bindgen --target web --out-dir site/dist/pkg "target/$target/release-wasm/preclear_wasm.wasm"
if [ -x site/node_modules/.bin/wasm-opt ]; then
  site/node_modules/.bin/wasm-opt -O3 site/dist/pkg/preclear_wasm_bg.wasm -o site/dist/pkg/preclear_wasm_bg.wasm
else
  echo "build.sh: wasm-opt not found (npm ci in site/ installs it); the .wasm is not optimised" >&2
fi
node site/build.mjs
