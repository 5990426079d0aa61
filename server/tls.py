"""The room's key pair and self-signed certificate, and the one TLS context built from them.

The room key is Ed25519: the same key signs results and minutes later, and a TLS 1.3 handshake
with it is cheap, which matters when 2,000 tablets reconnect at once. Clients do not trust the
certificate through a CA; they pin its SHA-256 (the room ID), so the subject is descriptive only.
"""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from app.fileio import atomic_write

CERT_YEARS = 10


def create_room_identity(key_path: Path, cert_path: Path, room_name: str) -> bytes:
    """Generate the room key and certificate; returns the certificate in DER form."""
    key = Ed25519PrivateKey.generate()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Hemicycle room"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, room_name[:64]),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, None)
    )
    atomic_write(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert.public_bytes(serialization.Encoding.DER)


def load_cert_der(cert_path: Path) -> bytes:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.public_bytes(serialization.Encoding.DER)


def server_context(cert_path: Path, key_path: Path) -> ssl.SSLContext:
    """Built once per process and shared by every connection."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert_path, key_path)
    return ctx
