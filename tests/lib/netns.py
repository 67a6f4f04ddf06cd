"""A test network of "hosts" on one machine: each host is a network
namespace with one interface, connected by a veth pair to a bridge that
lives in a switch namespace of its own. Everything is created by the test
and removed at the end; addresses are private (10.213.N.0/24) and exist
only inside these namespaces, so nothing is sent anywhere else and the
machine's own network is never touched.

Faults are real: iptables rules inside a host's namespace (partitions,
random loss with the statistic match), a delaying TCP relay
(tests/faults/delay_relay.py) for added latency, since the kernel has no netem."""

import itertools
import os
import subprocess

_ids = itertools.count(os.getpid() % 200)


def run(*args, check=True):
    cp = subprocess.run([str(a) for a in args], capture_output=True,
                        text=True)
    if check and cp.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {cp.stderr}")
    return cp


class Host:
    def __init__(self, net, name, index):
        self.net = net
        self.name = name
        self.ns = f"{net.prefix}-{name}"
        self.addr = f"10.213.{net.id}.{index}"
        self.veth = f"{net.prefix}{index}"

    def exec_argv(self, argv, user=None):
        """argv run inside this host's namespace, as user if given."""
        pre = ["ip", "netns", "exec", self.ns]
        if user:
            pre += ["setpriv", f"--reuid={user.pw_uid}",
                    f"--regid={user.pw_gid}", "--init-groups"]
        return pre + [str(a) for a in argv]

    def ipt(self, *args, table="filter"):
        return run("ip", "netns", "exec", self.ns, "iptables", "-w",
                   "-t", table, *args)

    # -- faults ---------------------------------------------------------------
    def cut_from(self, *others):
        """Drops every packet between this host and the others."""
        for o in others:
            self.ipt("-A", "INPUT", "-s", o.addr, "-j", "DROP")
            self.ipt("-A", "OUTPUT", "-d", o.addr, "-j", "DROP")

    def isolate(self):
        """Drops everything on its network interface (loopback stays)."""
        self.ipt("-A", "INPUT", "-i", "eth0", "-j", "DROP")
        self.ipt("-A", "OUTPUT", "-o", "eth0", "-j", "DROP")

    def isolate_refusing(self):
        """As isolate(), but TCP is refused both ways (a reset, as a
        firewall's REJECT gives) instead of dropped: to the others this
        host's Postgres looks stopped while it runs."""
        # the resets REJECT sends go out through OUTPUT too
        self.ipt("-A", "OUTPUT", "-o", "eth0", "-p", "tcp", "--tcp-flags",
                 "RST", "RST", "-j", "ACCEPT")
        for chain, flag in (("INPUT", "-i"), ("OUTPUT", "-o")):
            self.ipt("-A", chain, flag, "eth0", "-p", "tcp", "-j", "REJECT",
                     "--reject-with", "tcp-reset")
            self.ipt("-A", chain, flag, "eth0", "-j", "DROP")

    def lose(self, probability):
        """Drops that share of the packets in each direction."""
        for chain, flag in (("INPUT", "-i"), ("OUTPUT", "-o")):
            self.ipt("-A", chain, flag, "eth0", "-m", "statistic",
                     "--mode", "random", "--probability", probability,
                     "-j", "DROP")

    def redirect_tcp(self, port, uid):
        """Sends TCP coming in on eth0, and TCP that processes of uid open
        to other hosts, to a local relay on port (tests/faults/delay_relay.py).
        New connections only (--syn): a connection open before would be
        picked up mid-stream by connection tracking and its next packet
        sent to the relay, which resets it."""
        self.ipt("-A", "PREROUTING", "-i", "eth0", "-p", "tcp", "--syn",
                 "-j", "REDIRECT", "--to-ports", port, table="nat")
        self.ipt("-A", "OUTPUT", "-o", "eth0", "-p", "tcp", "--syn", "-m",
                 "owner", "--uid-owner", uid, "-j", "REDIRECT",
                 "--to-ports", port, table="nat")

    def reset_connections(self, port):
        """Aborts every established TCP connection to this host's port
        (ss -K): their ends connect again, through the rules added since
        (a REDIRECT applies to new connections only)."""
        run("ip", "netns", "exec", self.ns, "ss", "-K", "state",
            "established", "sport", "=", f":{port}")

    def heal(self):
        """Removes every rule this suite added in the namespace."""
        self.ipt("-F")
        self.ipt("-F", table="nat")


class Network:
    def __init__(self):
        self.id = next(_ids) % 250 + 1
        self.prefix = f"pgkf{self.id}"
        self.switch = f"{self.prefix}-sw"
        self.hosts = {}
        run("ip", "netns", "add", self.switch)
        self._sw("ip", "link", "add", "br0", "type", "bridge")
        self._sw("ip", "link", "set", "br0", "up")
        self._sw("ip", "link", "set", "lo", "up")

    def _sw(self, *args):
        return run("ip", "netns", "exec", self.switch, *args)

    def add_host(self, name):
        h = Host(self, name, len(self.hosts) + 1)
        run("ip", "netns", "add", h.ns)
        # the pair is created in the switch namespace, one end moved out
        self._sw("ip", "link", "add", h.veth, "type", "veth", "peer",
                 "name", "eth0", "netns", h.ns)
        self._sw("ip", "link", "set", h.veth, "master", "br0", "up")
        for args in (("ip", "link", "set", "lo", "up"),
                     ("ip", "addr", "add", f"{h.addr}/24", "dev", "eth0"),
                     ("ip", "link", "set", "eth0", "up")):
            run("ip", "netns", "exec", h.ns, *args)
        self.hosts[name] = h
        return h

    def remove(self):
        """Deletes the namespaces (their interfaces and rules go too).
        Processes still inside must have been stopped first."""
        for h in self.hosts.values():
            run("ip", "netns", "del", h.ns, check=False)
        run("ip", "netns", "del", self.switch, check=False)
        self.hosts = {}
