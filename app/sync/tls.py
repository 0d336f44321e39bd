"""TLS for sync that is always verified and cheap to reconnect.

Over a phone hotspot a round trip costs ~300 ms and a full TLS handshake costs one more than a
resumed one. `requests`/`urllib3` never resume: each new connection makes a fresh handshake.
`ResumingTLSAdapter` keeps, per server host name, the last session of a verified connection and
offers it when a new connection is made, so a reconnect is one round trip shorter. A server
that does not accept the session simply makes a full handshake, certificate checks included.

With TLS 1.3 (session tickets) this works after the server closed an idle keep-alive
connection, after a network drop and after `Session.close()`. With TLS 1.2 we keep urllib3's
choice of session IDs over tickets: the server must still have the session in its cache, and
OpenSSL drops it from there when a connection ends without the server having shut TLS down.
So a server closing an idle connection in an orderly way (asyncio, hence uvicorn, sends
close_notify) allows resumption, while after a network drop or a client-side close it is
usually a full handshake.

Trust is decided here, not by `requests`:

* Verification and host name checking are always on; TLS 1.2 is the minimum. `verify=False`
  raises `ValueError` before anything is sent.
* `verify=True` (the default) trusts the adapter's CA bundle, or, without one, the bundle
  `requests` uses today (certifi) -- never certifi *plus* the configured bundle.
* `verify="/path"` trusts exactly that bundle (file or directory), as in plain `requests`.

Resuming skips certificate verification (that is the saving), which is sound only because a
session comes from a verified handshake with the same host name and the same trust: sessions
are kept per context (one per trust source) and per host name.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.utils import DEFAULT_CA_BUNDLE_PATH
from urllib3.util.ssl_ import create_urllib3_context

__all__ = ["ResumingTLSAdapter", "mount_tls"]


class _SessionKeepingSocket(ssl.SSLSocket):
    """Hands its session back to its context when closed.

    `SSLSocket` forgets its session the moment it is closed or shut down, and urllib3 closes a
    dropped connection before it reconnects, so the session cannot be fetched later. Closing is
    also the latest point, so a TLS 1.3 ticket (sent by the server after the handshake, read
    along with the first answer) has arrived by then.
    """

    # Set by `_ResumingContext.wrap_socket` only after a completed, hence verified, handshake:
    # a session from a refused handshake must never be offered again.
    _verified_host: str | None = None

    def close(self) -> None:
        self._hand_back_session()
        super().close()

    def shutdown(self, how: int) -> None:
        self._hand_back_session()
        super().shutdown(how)

    def _hand_back_session(self) -> None:
        host, self._verified_host = self._verified_host, None
        context = self.context
        if host is not None and isinstance(context, _ResumingContext):
            context._keep(host, self.session, self.version())


class _ResumingContext(ssl.SSLContext):
    """A client context that offers the last session for the host name, and refuses any change
    that would weaken verification or widen trust once set up.

    urllib3 writes `verify_mode` (and may write `check_hostname`) on the context it is given
    for every connection, and `requests` asks it to load CA files into it; a context shared by
    all connections must not let one request switch checking off for the others.
    """

    sslsocket_class = _SessionKeepingSocket

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._sealed = False
        self._lock = threading.Lock()
        self._sessions: dict[str, ssl.SSLSession] = {}
        self.handshakes = 0
        self.resumed = 0

    # --- guards -----------------------------------------------------------------------------

    def _seal(self) -> None:
        if self.verify_mode != ssl.CERT_REQUIRED or not self.check_hostname:
            raise ValueError("a sync TLS context must verify certificates and host names")
        self._sealed = True

    @property  # type: ignore[override]
    def verify_mode(self) -> ssl.VerifyMode:
        return super().verify_mode

    @verify_mode.setter
    def verify_mode(self, value: ssl.VerifyMode) -> None:
        if value != ssl.CERT_REQUIRED:
            raise ValueError("certificate verification cannot be switched off")
        ssl.SSLContext.verify_mode.__set__(self, value)  # type: ignore[attr-defined]

    @property
    def check_hostname(self) -> bool:
        return bool(ssl.SSLContext.check_hostname.__get__(self))  # type: ignore[attr-defined]

    @check_hostname.setter
    def check_hostname(self, value: bool) -> None:
        if not value:
            raise ValueError("host name checking cannot be switched off")
        ssl.SSLContext.check_hostname.__set__(self, value)  # type: ignore[attr-defined]

    def _refuse_more_trust(self) -> None:
        if self._sealed:
            raise ValueError("the trusted certificates of a sync TLS context are fixed")

    def load_verify_locations(
        self,
        cafile: str | bytes | os.PathLike[str] | os.PathLike[bytes] | None = None,
        capath: str | bytes | os.PathLike[str] | os.PathLike[bytes] | None = None,
        cadata: Any = None,
    ) -> None:
        self._refuse_more_trust()
        super().load_verify_locations(cafile, capath, cadata)

    def load_default_certs(self, purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH) -> None:
        self._refuse_more_trust()
        super().load_default_certs(purpose)

    def set_default_verify_paths(self) -> None:
        self._refuse_more_trust()
        super().set_default_verify_paths()

    # --- resumption ---------------------------------------------------------------------------

    def wrap_socket(
        self,
        sock: Any,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLSocket:
        host = server_hostname
        if isinstance(host, bytes):
            host = host.decode("ascii")
        if not self._sealed or server_side or not host:
            raise ValueError("a sync TLS context only makes verified client connections")
        if session is None:
            session = self._offer(host)
        # If the server does not take the session, OpenSSL makes a full handshake by itself.
        sslsock = super().wrap_socket(
            sock,
            do_handshake_on_connect=do_handshake_on_connect,
            suppress_ragged_eofs=suppress_ragged_eofs,
            server_hostname=host,
            session=session,
        )
        # `version()` is None until a handshake completed: a socket whose handshake is deferred
        # (or never happens) is not counted and its session never kept.
        if sslsock.version() is not None and isinstance(sslsock, _SessionKeepingSocket):
            sslsock._verified_host = host
            with self._lock:
                self.handshakes += 1
                self.resumed += bool(sslsock.session_reused)
        return sslsock

    def _offer(self, host: str) -> ssl.SSLSession | None:
        with self._lock:
            session = self._sessions.get(host)
            if session is not None and session.time + session.timeout <= time.time():
                del self._sessions[host]
                return None
            return session

    def _keep(self, host: str, session: ssl.SSLSession | None, version: str | None) -> None:
        if session is None:
            return
        # A TLS 1.3 session is resumable only once its ticket arrived; a TLS 1.2 one by ticket
        # or by the ID the server keeps. An unusable session must not push out a good one.
        if not (session.has_ticket or (version != "TLSv1.3" and session.id)):
            return
        with self._lock:
            self._sessions[host] = session


def _context(location: str) -> _ResumingContext:
    """A context with urllib3's own settings (minus SSLKEYLOGFILE: an environment variable
    does not get to write the keys of dossier traffic to disk), trusting only `location`."""
    template = create_urllib3_context()
    context = _ResumingContext(ssl.PROTOCOL_TLS_CLIENT)
    context.options = template.options
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.maximum_version = template.maximum_version
    context.verify_flags = template.verify_flags
    context.hostname_checks_common_name = template.hostname_checks_common_name
    if template.post_handshake_auth is not None:
        context.post_handshake_auth = template.post_handshake_auth
    try:
        if os.path.isdir(location):
            context.load_verify_locations(capath=location)
        else:
            context.load_verify_locations(cafile=location)
    except ssl.SSLError as error:
        # Where urllib3 would have failed loading it: the same exception reaches the caller.
        raise requests.exceptions.SSLError(error) from error
    context._seal()
    return context


class ResumingTLSAdapter(HTTPAdapter):
    """An `HTTPAdapter` for https:// that verifies against one trust source per `verify` value
    and resumes TLS sessions. `handshakes` and `resumed` count completed handshakes over all of
    its connections (for tests and benchmarks). Meant for one `requests.Session`, used from one
    thread at a time; the shared state is locked regardless."""

    def __init__(self, ca_bundle: Path | None = None, **kwargs: Any) -> None:
        self._default_trust = os.fspath(ca_bundle) if ca_bundle else DEFAULT_CA_BUNDLE_PATH
        self._contexts: dict[str, _ResumingContext] = {}
        self._contexts_lock = threading.Lock()
        super().__init__(**kwargs)

    @property
    def handshakes(self) -> int:
        with self._contexts_lock:
            return sum(context.handshakes for context in self._contexts.values())

    @property
    def resumed(self) -> int:
        with self._contexts_lock:
            return sum(context.resumed for context in self._contexts.values())

    def ssl_context(self, verify: bool | str | None = True) -> ssl.SSLContext:
        """The context used for a request with this `verify` value: created once per trust
        source, so its sessions outlive the connections (and `Session.close()`)."""
        if verify is True or verify is None:
            location = self._default_trust
        elif isinstance(verify, str) and verify:
            location = verify
        else:
            raise ValueError("TLS certificate verification cannot be switched off")
        # urllib3 expands "~" in CA paths too.
        key = os.path.abspath(os.path.expanduser(location))
        with self._contexts_lock:
            context = self._contexts.get(key)
            if context is None:
                context = self._contexts[key] = _context(key)
            return context

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        # Checked before a connection is picked: requests would turn a ValueError raised while
        # building the pool key into a misleading InvalidURL.
        if verify is False or verify == "":
            raise ValueError("TLS certificate verification cannot be switched off")
        if cert is not None:
            raise ValueError("client certificates are not supported for sync")
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )

    def build_connection_pool_key_attributes(
        self,
        request: requests.PreparedRequest,
        verify: bool | str,
        cert: str | tuple[str, str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if host_params["scheme"] == "https":
            # The context holds the trust; a CA path left here would be loaded into it.
            pool_kwargs.pop("ca_certs", None)
            pool_kwargs.pop("ca_cert_dir", None)
            pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
            pool_kwargs["ssl_context"] = self.ssl_context(verify)
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: bool | str, cert: Any) -> None:
        if not url.lower().startswith("https"):
            super().cert_verify(conn, url, verify, cert)
            return
        # requests would set the pool's `ca_certs` to the bundle, or to certifi for
        # verify=True, and urllib3 would load it into our context on every new connection.
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None


def mount_tls(session: requests.Session, ca_bundle: Path | None) -> ResumingTLSAdapter:
    """Mount a `ResumingTLSAdapter` for https:// on `session` and return it."""
    adapter = ResumingTLSAdapter(ca_bundle)
    session.mount("https://", adapter)
    return adapter
