//! The loopback redirect listener of a native app (RFC 8252 §7.3): `http://127.0.0.1:<random
//! port>/callback`. It accepts only `GET /callback`, checks `state` in constant time, answers
//! the browser with a plain page, ignores anything else, times out, can be cancelled, and
//! closes after the first valid callback.

use super::{Cancel, IdentityError};
use std::collections::HashMap;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// The path of the redirect URI (register `http://127.0.0.1/callback` in the app registration:
/// for loopback redirect URIs Microsoft ignores the port).
pub const CALLBACK_PATH: &str = "/callback";
/// Default time the wizard waits for the browser.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// Largest request head read from the browser.
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once (issue 12): a browser opens a few; more are closed unanswered.
pub const MAX_CONNECTIONS: usize = 16;
/// Longest pause after failing accepts (e.g. out of file descriptors), doubling from 10 ms.
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// The pause after the `failures`-th failing accept in a row: 20 ms, doubling, at most
/// [`MAX_ACCEPT_BACKOFF`]; never zero, so a listener out of file descriptors does not spin.
fn accept_backoff(failures: u32) -> Duration {
    Duration::from_millis(10u64 << failures.clamp(1, 7)).min(MAX_ACCEPT_BACKOFF)
}

/// A bound listener, before the browser is sent to the authority.
pub struct Listener {
    listener: TcpListener,
    port: u16,
}

/// The query of the one valid callback (state already checked; `state` removed).
#[derive(Debug)]
pub struct Callback {
    pub params: HashMap<String, String>,
}

impl Callback {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

impl Listener {
    /// Bind `127.0.0.1` on a port the system chooses.
    pub async fn bind() -> Result<Listener, IdentityError> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| IdentityError::Listener(e.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(|e| IdentityError::Listener(e.to_string()))?
            .port();
        Ok(Listener { listener, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, CALLBACK_PATH)
    }

    /// Wait for the callback carrying `expected_state`. Callbacks with another state are
    /// answered with an error page and ignored; if only such callbacks came before the
    /// deadline the result is [`IdentityError::StateMismatch`], else [`IdentityError::Timeout`].
    pub async fn wait(
        self,
        expected_state: &str,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<Callback, IdentityError> {
        let (tx, mut rx) = mpsc::channel::<Outcome>(8);
        let expected = expected_state.to_string();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut rejected = 0usize;
        // Connection tasks: bounded in number, aborted when the wait ends.
        let mut tasks = tokio::task::JoinSet::new();
        let mut accept_failures = 0u32;
        loop {
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(IdentityError::Cancelled),
                Some(outcome) = rx.recv() => match outcome {
                    Outcome::Valid(cb) => return Ok(cb),
                    Outcome::WrongState => rejected += 1,
                },
                _ = &mut deadline => {
                    return Err(if rejected > 0 { IdentityError::StateMismatch } else { IdentityError::Timeout(timeout.as_secs()) });
                }
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        accept_failures = 0;
                        if !peer.ip().is_loopback() {
                            continue;
                        }
                        while tasks.try_join_next().is_some() {}
                        if tasks.len() >= MAX_CONNECTIONS {
                            drop(stream);
                            continue;
                        }
                        let tx = tx.clone();
                        let expected = expected.clone();
                        tasks.spawn(async move {
                            if let Some(outcome) = serve(stream, &expected).await {
                                let _ = tx.send(outcome).await;
                            }
                        });
                    }
                    // Back off instead of spinning on a failing accept (EMFILE and the like).
                    Err(_) => {
                        accept_failures = accept_failures.saturating_add(1);
                        let pause = accept_backoff(accept_failures);
                        tokio::select! {
                            _ = cancel.cancelled() => return Err(IdentityError::Cancelled),
                            _ = tokio::time::sleep(pause) => {}
                        }
                    }
                },
            }
        }
    }
}

enum Outcome {
    Valid(Callback),
    WrongState,
}

/// Handle one connection: read the request head (bounded in size and time), answer, report.
async fn serve(mut stream: TcpStream, expected_state: &str) -> Option<Outcome> {
    let head = match tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await {
        Ok(Some(h)) => h,
        _ => return None,
    };
    let (status, page, outcome) = route(&head, expected_state);
    let body = page_html(&page);
    let resp = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(resp.as_bytes()).await;
    let _ = stream.shutdown().await;
    outcome
}

async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            buf.truncate(end);
            return String::from_utf8(buf).ok();
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Page {
    title: &'static str,
    text: String,
}

/// Decide the answer for one request head. Pure, so it is unit-tested.
fn route(head: &str, expected_state: &str) -> (&'static str, Page, Option<Outcome>) {
    let not_found = || {
        (
            "404 Not Found",
            Page {
                title: "Not found",
                text: "Nothing here.".into(),
            },
            None,
        )
    };
    let line = head.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    let (method, target) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) if v.starts_with("HTTP/1.") => (m, t),
        _ => {
            return (
                "400 Bad Request",
                Page {
                    title: "Bad request",
                    text: "Bad request.".into(),
                },
                None,
            )
        }
    };
    if method != "GET" {
        return (
            "405 Method Not Allowed",
            Page {
                title: "Not allowed",
                text: "Only GET.".into(),
            },
            None,
        );
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != CALLBACK_PATH {
        return not_found();
    }
    let mut params: HashMap<String, String> = HashMap::new();
    for (k, v) in oauth2::url::form_urlencoded::parse(query.as_bytes()) {
        // A repeated parameter makes the answer ambiguous: refuse it.
        if params.insert(k.into_owned(), v.into_owned()).is_some() {
            return (
                "400 Bad Request",
                Page {
                    title: "Bad request",
                    text: "Repeated parameter.".into(),
                },
                None,
            );
        }
    }
    let state = params.remove("state").unwrap_or_default();
    let same = state.len() == expected_state.len()
        && bool::from(state.as_bytes().ct_eq(expected_state.as_bytes()));
    if !same {
        return ("400 Bad Request", Page {
            title: "This sign-in does not belong to the wizard's current attempt",
            text: "Hire2Retire Setup refused this answer because it belongs to another sign-in attempt. Close this tab and sign in again from the wizard.".into(),
        }, Some(Outcome::WrongState));
    }
    let page = if let Some(err) = params.get("error") {
        let desc = params
            .get("error_description")
            .map(String::as_str)
            .unwrap_or("");
        let first = desc.lines().next().unwrap_or("");
        Page {
            title: "Sign-in did not complete",
            text: format!("Microsoft answered: {err}. {first} Return to Hire2Retire Setup: it explains what to do next."),
        }
    } else if params.contains_key("admin_consent") {
        Page {
            title: "Admin consent recorded",
            text: "You can close this tab and return to Hire2Retire Setup.".into(),
        }
    } else {
        Page {
            title: "Signed in",
            text: "You can close this tab and return to Hire2Retire Setup.".into(),
        }
    };
    ("200 OK", page, Some(Outcome::Valid(Callback { params })))
}

fn page_html(p: &Page) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} - Hire2Retire Setup</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;color:#1b1f24\">\
         <h1 style=\"font-size:1.4em\">{t}</h1><p>{x}</p></body></html>",
        t = escape(p.title),
        x = escape(&p.text)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: failing accepts back off (doubling, bounded) instead of spinning.
    #[test]
    fn failing_accepts_back_off_doubling_up_to_a_bound() {
        let pauses: Vec<u128> = (1..=9).map(|n| accept_backoff(n).as_millis()).collect();
        assert_eq!(pauses, [20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
        assert_eq!(accept_backoff(u32::MAX), MAX_ACCEPT_BACKOFF);
        assert!(accept_backoff(0) > Duration::ZERO);
    }

    fn req(target: &str) -> String {
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1")
    }

    #[test]
    fn only_the_callback_path_with_the_right_state() {
        assert!(route(&req("/"), "s").2.is_none());
        assert!(route(&req("/favicon.ico"), "s").2.is_none());
        assert!(route("POST /callback?state=s HTTP/1.1", "s").2.is_none());
        assert!(route("garbage", "s").2.is_none());
        assert!(matches!(
            route(&req("/callback?code=c&state=t"), "s").2,
            Some(Outcome::WrongState)
        ));
        assert!(matches!(
            route(&req("/callback?code=c"), "s").2,
            Some(Outcome::WrongState)
        ));
        assert!(route(&req("/callback?code=c&code=d&state=s"), "s")
            .2
            .is_none());
        match route(&req("/callback?code=c&state=s"), "s").2 {
            Some(Outcome::Valid(cb)) => assert_eq!(cb.get("code"), Some("c")),
            _ => panic!(),
        }
    }

    #[test]
    fn arbitrary_request_heads_never_panic_or_pass() {
        // A small deterministic generator (no extra dependency): mutated request heads.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet: &[u8] = b"GET /callback?state=s&code=c%%20%zz&= HTTP/1.1\r\n\xff\x00?#&=";
        for _ in 0..20_000 {
            let len = (next() % 120) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let head = String::from_utf8_lossy(&bytes);
            if let (_, _, Some(Outcome::Valid(_))) = route(&head, "expected-state-value") {
                panic!("accepted without the state: {head:?}");
            }
        }
    }

    /// Issue 12: at most MAX_CONNECTIONS connections are served at once; one more is closed
    /// unanswered, and once the others close a valid callback is served again.
    #[tokio::test]
    async fn connections_are_bounded() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = Listener::bind().await.unwrap();
        let port = listener.port();
        let cancel = Cancel::new();
        let c2 = cancel.clone();
        let waiter =
            tokio::spawn(async move { listener.wait("s1", Duration::from_secs(60), &c2).await });
        let mut idle = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            s.write_all(b"GET /cal").await.unwrap(); // an unfinished head holds its slot
            idle.push(s);
        }
        // The server has taken every idle connection once a probe after them is closed unanswered.
        let mut extra = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let _ = extra
            .write_all(format!("{}\r\n\r\n", req("/callback?state=s1&code=c")).as_bytes())
            .await;
        let mut answer = Vec::new();
        let _ = extra.read_to_end(&mut answer).await;
        assert!(
            answer.is_empty(),
            "over the bound: closed unanswered, got {:?}",
            String::from_utf8_lossy(&answer)
        );
        assert!(!waiter.is_finished());
        drop(idle);
        // Slots free up as the idle connections close; a valid callback then goes through.
        let mut ok = false;
        for _ in 0..200 {
            let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            s.write_all(format!("{}\r\n\r\n", req("/callback?state=s1&code=c")).as_bytes())
                .await
                .unwrap();
            let mut answer = Vec::new();
            let _ = s.read_to_end(&mut answer).await;
            if answer.starts_with(b"HTTP/1.1 200") {
                ok = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(ok);
        let cb = waiter.await.unwrap().unwrap();
        assert_eq!(cb.get("code"), Some("c"));
        cancel.cancel();
    }

    #[test]
    fn error_pages_escape_what_the_server_sent() {
        let (_, page, _) = route(
            &req("/callback?error=access_denied&error_description=%3Cscript%3E&state=s"),
            "s",
        );
        assert!(!page_html(&page).contains("<script>"));
    }
}
