#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target in fuzz/corpus/TARGET (git-ignored) from the
# fixtures, the tariff packs and the shared corpus ($PRECLEAR_SHARED, else ../shared beside
# the workspace). Nothing of the shared folder is copied into the repository: the seeds are
# rebuilt here whenever they are missing. Usage: fuzz/seed.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${PRECLEAR_SHARED:-../shared}
case $shared in /*) ;; *) shared=$root/$shared ;; esac
test -d "$shared/corpus/hmrc-cds" || { echo "seed.sh: no shared corpus at $shared" >&2; exit 1; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read check notification expr tariff_pack)

# Copies files into a corpus folder, each named by its path (flattened), so reruns overwrite.
copy_into() {
  local dir=$1; shift
  local file
  for file in "$@"; do
    cp "$file" "$dir/$(echo "${file#"$root"/}" | tr '/ ()' '____')"
  done
}

xml_seeds() {
  local dir=$1
  mapfile -t files < <(find "$root/fixtures" "$shared/corpus/hmrc-cds" "$shared/corpus/hmrc-exports-examples" -name '*.xml' | sort)
  copy_into "$dir" "${files[@]}"
}

for target in "${targets[@]}"; do
  dir=fuzz/corpus/$target
  mkdir -p "$dir"
  case $target in
    read | check) xml_seeds "$dir" ;;
    notification)
      mapfile -t files < <({ find "$root/fixtures/other" -name '*.xml'; grep -rlE 'RES-DMS|<Response|:Response>' "$shared/corpus/hmrc-cds" --include='*.xml'; } | sort)
      copy_into "$dir" "${files[@]}"
      ;;
    expr)
      # Every distinct rate cell of the packs: UK Global Tariff and API measures, authored
      # measures, quotas, EU CET, and the three US columns.
      {
        cut -f3 tariffs/uk/ukgt.tsv
        cut -f11 tariffs/uk/measures.tsv
        cut -f9 tariffs/uk/authored_measures.tsv
        cut -f4 tariffs/uk/quotas.tsv
        cut -f4 tariffs/eu/cet.tsv
        cut -f5,6,7 --output-delimiter=$'\n' tariffs/us/hts.tsv
      } | grep -v '^$' | sort -u | head -n 20000 | {
        n=0
        while IFS= read -r cell; do
          printf '%s' "$cell" > "$dir/rate-$n"
          n=$((n + 1))
        done
      }
      ;;
    tariff_pack)
      # `PACK/FILE`, then the first lines of that file (the target's input format).
      for pack in uk us eu codelists; do
        for file in tariffs/$pack/*.tsv tariffs/$pack/pack.toml; do
          { printf '%s/%s\n' "$pack" "$(basename "$file")"; head -n 61 "$file"; } > "$dir/$pack-$(basename "$file")"
        done
      done
      ;;
    *) echo "seed.sh: unknown target $target" >&2; exit 2 ;;
  esac
  echo "seed.sh: $target: $(find "$dir" -type f | wc -l) inputs in $dir"
done
