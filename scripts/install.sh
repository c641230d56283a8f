#!/usr/bin/env bash
# Install chanxiao as a systemd service: the binary, the default configuration (never over an
# existing one), the unit and the system user chanxiao. Safe to run again (upgrades included).
# docs/operations.md ("Install") walks through it and its manual equivalent.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/install.sh [--prefix DIR] [--destdir DIR] [--binary PATH]

Builds a release binary (swift build -c release --product chanxiao) unless --binary is
given, then installs:

  PREFIX/bin/chanxiao                   the binary (0755)
  /etc/chanxiao/chanxiao.yaml           the default configuration (0640 root:chanxiao); an
                                        existing file is kept and the new default is put
                                        beside it as chanxiao.yaml.new
  /etc/systemd/system/chanxiao.service  the unit (0644), ExecStart pointing at PREFIX/bin
  user and group chanxiao               a system user, created if missing

and runs `systemctl daemon-reload`. Running it again is safe: it replaces the binary and the
unit and leaves the configuration and the database alone.

Options:
  --prefix DIR    installation prefix of the binary (default /usr/local)
  --destdir DIR   stage every file under DIR (for packaging) and skip useradd, chown and
                  systemctl; needs no root
  --binary PATH   install this chanxiao executable instead of building one
  -h, --help      show this help

Without --destdir it must run as root. To avoid building as root, build first and pass the
result: swift build -c release --product chanxiao &&
          sudo scripts/install.sh --binary .build/release/chanxiao
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }

prefix=/usr/local
destdir=
binary=
while [[ $# -gt 0 ]]; do
    case $1 in
        --prefix) [[ $# -ge 2 ]] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --destdir) [[ $# -ge 2 ]] || die "--destdir needs a directory"; destdir=$2; shift 2 ;;
        --destdir=*) destdir=${1#*=}; shift ;;
        --binary) [[ $# -ge 2 ]] || die "--binary needs a path"; binary=$2; shift 2 ;;
        --binary=*) binary=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ $prefix == /* ]] || die "--prefix must be an absolute path: $prefix"
prefix=${prefix%/}
[[ -n $prefix ]] || prefix=/usr/local
if [[ -z $destdir && $EUID -ne 0 ]]; then
    die "run as root (sudo), or stage the files with --destdir DIR"
fi
if [[ -n $destdir ]]; then
    mkdir -p "$destdir"
    destdir=$(cd "$destdir" && pwd)
fi

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config_source=$source_dir/config/chanxiao.yaml
unit_source=$source_dir/systemd/chanxiao.service
[[ -f $config_source ]] || die "missing $config_source"
[[ -f $unit_source ]] || die "missing $unit_source"

# 1. The binary.
if [[ -z $binary ]]; then
    command -v swift >/dev/null || die "swift is not installed; build elsewhere and pass --binary PATH"
    echo "Building the release binary (swift build -c release --product chanxiao)…"
    (cd "$source_dir" && swift build -c release --product chanxiao)
    binary=$(cd "$source_dir" && swift build -c release --show-bin-path)/chanxiao
fi
[[ -f $binary && -x $binary ]] || die "not an executable file: $binary"

bin_dir=$destdir$prefix/bin
install -d -m 0755 "$bin_dir"
# Copy beside the target, then rename: a running daemon keeps its old file, nothing sees half a binary.
install -m 0755 "$binary" "$bin_dir/.chanxiao.new"
mv -f "$bin_dir/.chanxiao.new" "$bin_dir/chanxiao"
echo "installed $bin_dir/chanxiao"

# 2. The system user (its group too). Only on the real system.
if [[ -z $destdir ]]; then
    if id -u chanxiao >/dev/null 2>&1; then
        echo "user chanxiao exists"
    else
        nologin=/usr/sbin/nologin
        [[ -x $nologin ]] || nologin=/sbin/nologin
        [[ -x $nologin ]] || nologin=/bin/false
        if getent group chanxiao >/dev/null; then group_option=(--gid chanxiao); else group_option=(--user-group); fi
        useradd --system "${group_option[@]}" --home-dir /var/lib/chanxiao --no-create-home \
            --shell "$nologin" --comment "chanxiao daemon" chanxiao
        echo "created system user chanxiao"
    fi
fi

# 3. The configuration: root-owned, readable by the group chanxiao, never overwritten.
config_dir=$destdir/etc/chanxiao
install -d -m 0755 "$config_dir"
owner=()
[[ -n $destdir ]] || owner=(-o root -g chanxiao)
config=$config_dir/chanxiao.yaml
if [[ ! -e $config ]]; then
    install ${owner[@]+"${owner[@]}"} -m 0640 "$config_source" "$config"
    echo "installed $config"
elif cmp -s "$config_source" "$config"; then
    echo "kept $config (already the default)"
else
    install ${owner[@]+"${owner[@]}"} -m 0640 "$config_source" "$config.new"
    echo "kept $config; the new default configuration is beside it as $config.new:"
    echo "  compare them (diff -u $config $config.new) and merge what you need"
fi

# 4. The state directory. systemd creates it too (StateDirectory=); made here so that
#    `sudo -u chanxiao chanxiao …` works before the first start.
state_dir=$destdir/var/lib/chanxiao
install -d -m 0750 "$state_dir"
[[ -n $destdir ]] || chown chanxiao:chanxiao "$state_dir"

# 5. The unit, pointing at the installed binary. Local changes belong in a drop-in
#    (systemctl edit chanxiao), which this script never touches.
unit_dir=$destdir/etc/systemd/system
install -d -m 0755 "$unit_dir"
sed "s#/usr/local/bin/chanxiao#$prefix/bin/chanxiao#g" "$unit_source" > "$unit_dir/.chanxiao.service.new"
chmod 0644 "$unit_dir/.chanxiao.service.new"
mv -f "$unit_dir/.chanxiao.service.new" "$unit_dir/chanxiao.service"
echo "installed $unit_dir/chanxiao.service"

command_name=chanxiao
[[ $prefix == /usr/local ]] || command_name=$prefix/bin/chanxiao
if [[ -n $destdir ]]; then
    echo
    echo "Staged under $destdir; no user created, no ownership changed, systemd not told."
    exit 0
fi

# 6. Tell systemd.
active=no
if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
    echo "ran systemctl daemon-reload"
    if systemctl is-active --quiet chanxiao; then active=yes; fi
else
    echo "systemd is not running here: skipped systemctl daemon-reload"
fi

echo
if [[ $active == yes ]]; then
    echo "chanxiao is running the old binary. Restart it to use the new one:"
    echo "  sudo systemctl restart chanxiao"
else
    cat <<EOF
Next steps:
  1. Review /etc/chanxiao/chanxiao.yaml and check it:
       sudo -u chanxiao $command_name config check /etc/chanxiao/chanxiao.yaml
  2. Start the daemon now and at every boot:
       sudo systemctl enable --now chanxiao
  3. Make the first admin token, as the service user, against the service's database:
       sudo -u chanxiao $command_name token create --role admin --label "first admin" \\
         --config /etc/chanxiao/chanxiao.yaml --database /var/lib/chanxiao/chanxiao.sqlite
  4. Follow the logs: journalctl -u chanxiao -f
EOF
fi
