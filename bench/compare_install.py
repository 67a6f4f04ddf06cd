"""Installs what the side-by-side benchmark (bench/compare.py) needs from
Debian's packages: Patroni, etcd and pg_auto_failover, only when missing
(pgkeel's own `make deps` does not pull them in). A packaged service the
installation started (Patroni's or etcd's unit, the default `main`
Postgres cluster) is stopped and disabled, that one only, and said so;
services that were already running before are left alone."""

import os
import subprocess

PACKAGES = ["patroni", "etcd-server", "etcd-client", "pg-auto-failover-cli",
            "postgresql-15-auto-failover"]
SERVICES = ["patroni", "etcd"]


def missing(packages):
    out = []
    for p in packages:
        cp = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}",
                             p], capture_output=True, text=True)
        if cp.stdout.strip() != "installed":
            out.append(p)
    return out


def systemd():
    return os.path.isdir("/run/systemd/system")


def service_active(name):
    if systemd():
        argv = ["systemctl", "is-active", "--quiet", name]
    elif os.path.exists(f"/etc/init.d/{name}"):
        argv = [f"/etc/init.d/{name}", "status"]
    else:
        return False
    return subprocess.run(argv, capture_output=True).returncode == 0


def stop_service(name):
    if systemd():
        subprocess.run(["systemctl", "disable", "--now", name], check=True)
    else:
        subprocess.run([f"/etc/init.d/{name}", "stop"], check=True)
        subprocess.run(["update-rc.d", name, "disable"], check=False)
    print(f"compare: the {name} package started its service; stopped and "
          "disabled it", flush=True)


def online_clusters():
    """{(version, name)} of Debian's Postgres clusters that are online."""
    cp = subprocess.run(["pg_lsclusters", "--no-header"],
                        capture_output=True, text=True)
    out = set()
    for line in cp.stdout.splitlines():
        f = line.split()
        if len(f) >= 4 and f[3].startswith("online"):
            out.add((f[0], f[1]))
    return out


def stop_cluster(version, name):
    subprocess.run(["pg_ctlcluster", version, name, "stop"], check=True)
    conf = f"/etc/postgresql/{version}/{name}/start.conf"
    if os.path.exists(conf):
        with open(conf, "w") as f:
            f.write("manual\n")
    print(f"compare: the installation started Postgres cluster "
          f"{version}/{name}; stopped it and set it to start manually",
          flush=True)


def apt_install(packages):
    print(f"compare: installing {' '.join(packages)}", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    argv = [*sudo, "apt-get", "install", "-y", "-qq",
            "--no-install-recommends", *packages]
    if subprocess.run(argv, env=env).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env,
                       check=True)
        subprocess.run(argv, env=env, check=True)


def ensure_packages():
    """Installs the missing packages; leaves no service of theirs up."""
    todo = missing(PACKAGES)
    if not todo:
        return
    active = {s for s in SERVICES if service_active(s)}
    clusters = online_clusters()
    apt_install(todo)
    for s in SERVICES:
        if s not in active and service_active(s):
            stop_service(s)
    for version, name in online_clusters() - clusters:
        stop_cluster(version, name)
