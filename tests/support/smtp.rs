//! A small SMTP server for the tests: it speaks enough of RFC 5321 for a real client (EHLO,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every message it accepts, and can be "down"
//! (it greets with 421, as a server under maintenance does, and hangs up).

#![allow(dead_code)] // Each test crate uses its own part of this.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One accepted message: its envelope and its data as sent.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The message as a reader sees it: quoted-printable parts decoded (soft line breaks
    /// joined, `=XX` bytes restored). Headers and boundaries pass through unchanged.
    pub fn decoded(&self) -> String {
        let joined = self.data.replace("=\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub url: String,
    mails: Arc<Mutex<Vec<Mail>>>,
    down: Arc<Mutex<bool>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            url: format!("smtp://{}", listener.local_addr().unwrap()),
            ..SmtpSink::default()
        };
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = serving.clone();
                tokio::spawn(async move { sink.session(stream).await });
            }
        });
        sink
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// The mails sent to `to`, in order.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|mail| mail.to == [to])
            .collect()
    }

    pub fn set_down(&self, down: bool) {
        *self.down.lock().unwrap() = down;
    }

    async fn session(&self, stream: tokio::net::TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        if *self.down.lock().unwrap() {
            let _ = write
                .write_all(b"421 4.3.2 Service not available, try later\r\n")
                .await;
            return;
        }
        macro_rules! reply {
            ($text:expr) => {
                if write
                    .write_all(format!("{}\r\n", $text).as_bytes())
                    .await
                    .is_err()
                {
                    return;
                }
            };
        }
        reply!("220 sink.test ESMTP ready");
        let (mut from, mut to) = (String::new(), Vec::new());
        while let Ok(Some(line)) = lines.next_line().await {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                reply!("250-sink.test greets you\r\n250-8BITMIME\r\n250 SMTPUTF8");
            } else if upper.starts_with("HELO") {
                reply!("250 sink.test");
            } else if upper.starts_with("MAIL FROM:") {
                from = line[10..].trim().to_string();
                to.clear();
                reply!("250 2.1.0 OK");
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                reply!("250 2.1.5 OK");
            } else if upper == "DATA" {
                reply!("354 End data with <CR><LF>.<CR><LF>");
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    // Dot-stuffing: a leading "." was doubled by the client.
                    let unstuffed = if line.starts_with("..") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    data.push_str(unstuffed);
                    data.push('\n');
                }
                self.mails.lock().unwrap().push(Mail {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                reply!("250 2.0.0 OK queued");
            } else if upper == "RSET" || upper == "NOOP" {
                reply!("250 2.0.0 OK");
            } else if upper == "QUIT" {
                reply!("221 2.0.0 Bye");
                return;
            } else {
                reply!("502 5.5.2 Command not implemented");
            }
        }
    }
}
