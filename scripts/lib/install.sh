# Sourced by scripts/setup.sh and scripts/install-web-tools.sh: install what is missing, say
# what, fail loudly. `who` names the calling script in messages.

# need_wasm_target WHO: the Rust target the engine is built for in browsers.
need_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        echo "$1: rustup target add wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

# need_commands WHO COMMAND:PACKAGE...: apt-get installs the Debian package of every command
# that is not on PATH (one update, one install).
need_commands() {
    local who=$1 pair missing=()
    shift
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "$who: apt-get install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
}
