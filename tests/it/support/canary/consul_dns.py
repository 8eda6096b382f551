"""A stand-in for Consul's DNS interface (dnslib, UDP and TCP on 127.0.0.1).

Answers what Consul's DNS answers for service lookups, from the instances
a test (standing in for Nomad) registers as files: STATE/services/<service>/<alloc>
holding "<port> <tag>,<tag>" (every instance is healthy, on 127.0.0.1):

  <service>.service[.<dc>].consul         SRV and A: every instance
  <tag>.<service>.service[.<dc>].consul   SRV and A: the instances with that tag
  _<service>._<tag>.service[.<dc>].consul SRV (RFC 2782; _tcp means any tag)
  <hex ip>.addr.<dc>.consul               A: the SRV targets, as Consul writes them

An SRV answer's target is the instance's address as `<hex>.addr.<dc>.consul.`
with the port Nomad registered (a dynamic one), and its A record in the
additional section; TTL 0 (Consul's default). A name with no instance is
NXDOMAIN with Consul's SOA, as Consul answers it.

Usage: consul_dns.py STATE_DIR PORT
"""

import os
import sys
import time

from dnslib import A, QTYPE, RCODE, RR, SOA, SRV
from dnslib.server import BaseResolver, DNSServer

DC = "dc1"


def instances(state, service, tag):
    d = os.path.join(state, "services", service)
    out = []
    try:
        names = sorted(os.listdir(d))
    except FileNotFoundError:
        return out
    for alloc in names:
        try:
            with open(os.path.join(d, alloc)) as f:
                port, _, tags = f.read().strip().partition(" ")
        except FileNotFoundError:
            continue
        tags = [t for t in tags.split(",") if t]
        if tag is None or tag in tags:
            out.append((alloc, int(port), "127.0.0.1"))
    return out


def parse(labels):
    """(service, tag) of a service lookup, ("addr", ip) of an address one."""
    if labels and labels[-1] == "consul":
        labels = labels[:-1]
    else:
        return None
    if len(labels) == 3 and labels[1] == "addr":
        h = labels[0]
        if len(h) == 8:
            return ("addr", ".".join(str(int(h[i:i + 2], 16)) for i in range(0, 8, 2)))
        return None
    if "service" not in labels:
        return None
    i = labels.index("service")
    rest = labels[i + 1:]
    if rest not in ([], [DC]):
        return None
    head = labels[:i]
    if len(head) == 2 and head[0].startswith("_") and head[1].startswith("_"):
        tag = head[1][1:]
        return (head[0][1:], None if tag == "tcp" else tag)
    if len(head) == 1:
        return (head[0], None)
    if len(head) == 2:
        return (head[1], head[0])
    return None


class Consul(BaseResolver):
    def __init__(self, state):
        self.state = state

    def resolve(self, request, handler):
        reply = request.reply()
        q = request.q
        qname = str(q.qname).rstrip(".")
        labels = [l.lower() for l in qname.split(".")]
        what = parse(labels)
        soa = RR(
            "consul.", QTYPE.SOA, ttl=0,
            rdata=SOA("ns.consul.", "hostmaster.consul.", (int(time.time()), 3600, 600, 86400, 0)),
        )
        if what is None:
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(soa)
            return reply
        if what[0] == "addr":
            if q.qtype in (QTYPE.A, QTYPE.ANY):
                reply.add_answer(RR(q.qname, QTYPE.A, ttl=0, rdata=A(what[1])))
            return reply
        found = instances(self.state, what[0], what[1])
        if not found:
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(soa)
            return reply
        for alloc, port, ip in found:
            target = "%s.addr.%s.consul." % ("".join("%02x" % int(o) for o in ip.split(".")), DC)
            if q.qtype in (QTYPE.SRV, QTYPE.ANY):
                reply.add_answer(RR(q.qname, QTYPE.SRV, ttl=0, rdata=SRV(1, 1, port, target)))
                reply.add_ar(RR(target, QTYPE.A, ttl=0, rdata=A(ip)))
            elif q.qtype == QTYPE.A:
                reply.add_answer(RR(q.qname, QTYPE.A, ttl=0, rdata=A(ip)))
        if not reply.rr:
            reply.add_auth(soa)
        return reply


def main():
    state, port = sys.argv[1], int(sys.argv[2])
    resolver = Consul(state)
    servers = [
        DNSServer(resolver, port=port, address="127.0.0.1", tcp=False, logger=Quiet()),
        DNSServer(resolver, port=port, address="127.0.0.1", tcp=True, logger=Quiet()),
    ]
    for s in servers:
        s.start_thread()
    print("ready", flush=True)
    while all(s.isAlive() for s in servers):
        time.sleep(0.5)


class Quiet:
    def __getattr__(self, name):
        return lambda *a, **k: None


if __name__ == "__main__":
    main()
