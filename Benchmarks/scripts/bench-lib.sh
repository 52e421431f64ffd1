# Shared by the indicator benchmarks (sourced, not run).

# The release binary: $EDULEDGER_BIN, or a release build of the package.
release_binary() {
  if [ -n "${EDULEDGER_BIN:-}" ]; then
    echo "$EDULEDGER_BIN"
  else
    swift build -c release --product eduledger >/dev/null
    echo "$(swift build -c release --show-bin-path)/eduledger"
  fi
}
