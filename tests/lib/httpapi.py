"""Requests to pgkeel's HTTP API as a client makes them: over HTTPS, as
every node made without --no-ssl serves it. The certificate is checked
against cafile when one is given (a self-signed node's server.crt, or the
CA); without it, as `curl -k` does, it is not."""

import ssl
import urllib.error
import urllib.request


def tls_context(cafile=None):
    if cafile:
        return ssl.create_default_context(cafile=cafile)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def request(port, path, method="GET", headers=None, cafile=None,
            scheme="https", timeout=5, host="127.0.0.1"):
    """(status, body text, headers) of one request; HTTP errors are
    answers too."""
    req = urllib.request.Request(f"{scheme}://{host}:{port}{path}",
                                 method=method, headers=headers or {})
    ctx = tls_context(cafile) if scheme == "https" else None
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers
