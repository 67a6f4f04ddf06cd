"""Certificates for tests, made with the openssl program: a CA, server
certificates it signs, a self-signed pair written over a node's files
(renewal), and fingerprints to tell them apart."""

import os
import subprocess


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True,
                   timeout=60)


def give_to_test_user(h, *paths):
    for p in paths:
        if h.user:
            os.chown(p, h.user.pw_uid, h.user.pw_gid)


def make_ca(h, name):
    """A CA key and self-signed CA certificate in the test's directory."""
    d = h.mkdir("certs")
    key, crt = os.path.join(d, f"{name}.key"), os.path.join(d, f"{name}.crt")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", crt,
            "-days", "30", "-subj", f"/CN=pgkeel test {name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    give_to_test_user(h, crt)
    return {"key": key, "crt": crt}


def make_server_cert(h, ca, name, host="127.0.0.1"):
    """A server key (0600, the test user's) and a certificate for host
    (subjectAltName), signed by ca."""
    d = h.mkdir("certs")
    key, csr, crt, ext = (os.path.join(d, f"{name}.{x}")
                          for x in ("key", "csr", "crt", "ext"))
    with open(ext, "w") as f:
        f.write(f"subjectAltName = IP:{host}\n"
                "extendedKeyUsage = serverAuth\n")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
            "-subj", f"/CN={host}")
    openssl("x509", "-req", "-in", csr, "-CA", ca["crt"], "-CAkey",
            ca["key"], "-CAcreateserial", "-out", crt, "-days", "30",
            "-extfile", ext)
    os.chmod(key, 0o600)
    give_to_test_user(h, key, crt)
    return {"key": key, "crt": crt}


def fingerprint(pem):
    cp = subprocess.run(["openssl", "x509", "-noout", "-fingerprint",
                         "-sha256"], input=pem, capture_output=True,
                        text=True, check=True, timeout=30)
    return cp.stdout.strip()


def renew_self_signed(h, crt, key, host="127.0.0.1"):
    """A new self-signed pair for host, moved over crt and key (as an
    operator renews in place); returns the new certificate's PEM."""
    new_key, new_crt = key + ".new", crt + ".new"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", new_key,
            "-out", new_crt, "-days", "30", "-subj", f"/CN={host}",
            "-addext", f"subjectAltName=IP:{host}")
    os.chmod(new_key, 0o600)
    give_to_test_user(h, new_key, new_crt)
    os.rename(new_key, key)
    os.rename(new_crt, crt)
    with open(crt) as f:
        return f.read()
