//! Real network pieces on 127.0.0.1 for the TLS and proxy tests: a test CA
//! and server certificates made with rcgen, a TLS front (rustls) that
//! forwards to a plain fake instance, stays silent after the handshake or
//! never completes it, and a forward proxy that implements CONNECT, counts
//! its tunnels and knows made-up names (they exist only in its map, so the
//! client cannot resolve them itself). Nothing here connects anywhere but
//! the loopback addresses in the proxy's map.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA made for one test.
pub(crate) struct TestCa {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub(crate) fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A TLS server configuration with a certificate for `names` (DNS
    /// names or IP addresses) signed by this CA.
    pub(crate) fn server(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let cert = CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.issuer)
            .unwrap();
        let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        Arc::new(config)
    }
}

/// What the TLS front does with a connection.
#[derive(Clone, Copy)]
pub(crate) enum Behaviour {
    /// Complete the handshake and relay bytes to this plain server.
    Forward(SocketAddr),
    /// Complete the handshake, then read and never answer.
    SilentAfterHandshake,
    /// Accept the TCP connection and never answer the ClientHello.
    NeverHandshake,
}

/// A TLS server on 127.0.0.1; connections end when the client hangs up.
/// Bound first, served later, so a backend can be told its address.
pub(crate) struct TlsFront {
    pub addr: SocketAddr,
    listener: TcpListener,
}

impl TlsFront {
    pub(crate) fn bind() -> TlsFront {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        TlsFront {
            addr: listener.local_addr().unwrap(),
            listener,
        }
    }

    pub(crate) fn serve(
        self,
        config: Arc<rustls::ServerConfig>,
        behaviour: Behaviour,
    ) -> SocketAddr {
        let TlsFront { addr, listener } = self;
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = config.clone();
                std::thread::spawn(move || serve_tls(stream, config, behaviour));
            }
        });
        addr
    }
}

fn serve_tls(mut tcp: TcpStream, config: Arc<rustls::ServerConfig>, behaviour: Behaviour) {
    if let Behaviour::NeverHandshake = behaviour {
        drain(&mut tcp);
        return;
    }
    let mut conn = rustls::ServerConnection::new(config).unwrap();
    while conn.is_handshaking() {
        if conn.complete_io(&mut tcp).is_err() {
            return; // e.g. the client refused our certificate
        }
    }
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    match behaviour {
        Behaviour::Forward(backend) => relay_tls(&mut tls, backend),
        _ => {
            let mut buf = [0u8; 4096];
            while matches!(tls.read(&mut buf), Ok(n) if n > 0) {}
        }
    }
}

/// Reads until the peer hangs up.
fn drain(tcp: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    while matches!(tcp.read(&mut buf), Ok(n) if n > 0) {}
}

/// Relays between a TLS stream and a plain backend, polling both with short
/// read timeouts (a rustls stream cannot be split across threads).
fn relay_tls(
    tls: &mut rustls::StreamOwned<rustls::ServerConnection, TcpStream>,
    backend: SocketAddr,
) {
    let Ok(mut plain) = TcpStream::connect(backend) else {
        return;
    };
    let tick = Some(Duration::from_millis(5));
    let _ = tls.sock.set_read_timeout(tick);
    let _ = plain.set_read_timeout(tick);
    let mut buf = vec![0u8; 64 * 1024];
    let idle = |e: &std::io::Error| matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
    loop {
        match tls.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if plain.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(e) if idle(&e) => {}
            Err(_) => return,
        }
        match plain.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tls.write_all(&buf[..n]).and_then(|_| tls.flush()).is_err() {
                    return;
                }
            }
            Err(e) if idle(&e) => {}
            Err(_) => return,
        }
    }
}

/// Every CONNECT target and its Proxy-Authorization header, if any.
pub(crate) type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A forward proxy on 127.0.0.1 that only knows the names in its map.
pub(crate) struct ForwardProxy {
    pub url: String,
    pub tunnels: Arc<AtomicUsize>,
    pub seen: Seen,
}

impl ForwardProxy {
    /// `map`: `host:port` a client asks for → where the proxy connects.
    /// `auth`: the Proxy-Authorization value it requires, if any.
    pub(crate) fn start(map: &[(&str, SocketAddr)], auth: Option<String>) -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let map: Arc<HashMap<String, SocketAddr>> =
            Arc::new(map.iter().map(|(k, v)| (k.to_string(), *v)).collect());
        let tunnels = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (t, s) = (tunnels.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (map, t, s, auth) = (map.clone(), t.clone(), s.clone(), auth.clone());
                std::thread::spawn(move || tunnel(stream, &map, &t, &s, auth.as_deref()));
            }
        });
        ForwardProxy { url, tunnels, seen }
    }

    pub(crate) fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }
}

fn tunnel(
    mut client: TcpStream,
    map: &HashMap<String, SocketAddr>,
    tunnels: &AtomicUsize,
    seen: &Mutex<Vec<(String, Option<String>)>>,
    auth: Option<&str>,
) {
    let Some(head) = read_head(&mut client) else {
        return;
    };
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default().to_string();
    let given = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, v)| v.trim().to_string());
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    seen.lock()
        .unwrap()
        .push((target.to_string(), given.clone()));
    let answer = |client: &mut TcpStream, status: &str| {
        let _ =
            client.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes());
    };
    if method != "CONNECT" {
        return answer(&mut client, "501 Not Implemented");
    }
    if auth.is_some() && given.as_deref() != auth {
        return answer(&mut client, "407 Proxy Authentication Required");
    }
    let Some(to) = map.get(target) else {
        return answer(&mut client, "502 Bad Gateway");
    };
    let Ok(upstream) = TcpStream::connect(to) else {
        return answer(&mut client, "502 Bad Gateway");
    };
    tunnels.fetch_add(1, Ordering::SeqCst);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let mut upstream = upstream;
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut u2);
        let _ = u2.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Both);
    let _ = up.join();
}

/// The request head, byte by byte so nothing of the tunnel is consumed.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 || head.len() > 16 * 1024 {
            return None;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).ok()
}
