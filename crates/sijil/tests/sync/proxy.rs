//! A fault-injecting TCP proxy: the bad link between an office node and the central, made
//! real in the test (these kernels have no `netem`). Both directions share one rate limit
//! each (a token bucket, like a modem), every byte is delayed by the one-way latency, all
//! connections are cut at once on a schedule (in the middle of whatever transfer), and the
//! link can stall (accept nothing for a while) or go down (refuse connections).
//!
//! The link takes bytes from a sender only as far ahead of the line as its buffer allows
//! ([`Faults::buffer`]); what waits beyond is in the sender's socket buffer, which a cut
//! discards without spending link time on it. Bytes in the link's buffer or on the line are
//! lost with a cut and their link time is spent. An earlier version had an unbounded buffer:
//! a sender could put a whole request in it, and after a cut the line stayed "busy" for up
//! to that request's worth of data that would never arrive.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
    time::Instant,
};

/// What the link does.
#[derive(Debug, Clone)]
pub struct Faults {
    /// Bytes per second in each direction.
    pub bytes_per_sec: u64,
    /// One-way delay of every byte.
    pub latency: Duration,
    /// Cut every connection this often.
    pub cut_every: Option<Duration>,
    /// How far ahead of the line the link takes bytes from the sender, in time at its rate:
    /// the modem's buffer. Bytes in it are discarded by a cut, but the line still spends its
    /// time on them (the modem does not know the connection died). `ZERO`: the sender's
    /// socket buffer holds what waits; `Duration::MAX`: unbounded (the earlier model).
    pub buffer: Duration,
}

/// Counters and switches shared with the test.
#[derive(Debug, Default)]
pub struct Link {
    /// Bytes carried office -> central.
    pub up_bytes: AtomicU64,
    /// Bytes carried central -> office.
    pub down_bytes: AtomicU64,
    /// Connections cut.
    pub cuts: AtomicU64,
    /// While set, new connections are refused (no route).
    pub down: AtomicBool,
    /// When the first byte was offered upward since [`Link::reset_first_up`] (the benchmark's
    /// start).
    pub first_up: Mutex<Option<Instant>>,
}

impl Link {
    /// Forgets when the first byte went up; the next one sets it again.
    pub fn reset_first_up(&self) {
        *self.first_up.lock().unwrap() = None;
    }
}

struct Bucket {
    rate: u64,
    next_free: Mutex<Instant>,
}

impl Bucket {
    /// When `n` bytes may leave, reserving the link for them.
    fn reserve(&self, n: usize) -> Instant {
        let mut next = self.next_free.lock().unwrap();
        let start = (*next).max(Instant::now());
        *next = start + Duration::from_secs_f64(n as f64 / self.rate as f64);
        *next
    }
}

/// Starts the proxy in front of `upstream`; returns its address and the shared link state.
pub async fn start(upstream: SocketAddr, faults: Faults) -> (SocketAddr, Arc<Link>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let link = Arc::new(Link::default());
    let (cut_tx, cut_rx) = watch::channel(0u64);
    if let Some(every) = faults.cut_every {
        let link = link.clone();
        tokio::spawn(async move {
            let mut n = 0;
            loop {
                tokio::time::sleep(every).await;
                n += 1;
                link.cuts.fetch_add(1, Ordering::Relaxed);
                if cut_tx.send(n).is_err() {
                    return;
                }
            }
        });
    } else {
        std::mem::forget(cut_tx);
    }
    let up = Arc::new(Bucket {
        rate: faults.bytes_per_sec,
        next_free: Mutex::new(Instant::now()),
    });
    let down = Arc::new(Bucket {
        rate: faults.bytes_per_sec,
        next_free: Mutex::new(Instant::now()),
    });
    let l = link.clone();
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            if l.down.load(Ordering::Relaxed) {
                drop(client);
                continue;
            }
            let Ok(server) = TcpStream::connect(upstream).await else {
                drop(client);
                continue;
            };
            // Closing resets the connection, as a real cut does. A zero linger never blocks,
            // which is what the deprecation warns about.
            #[allow(deprecated)]
            {
                let _ = client.set_linger(Some(Duration::ZERO));
                let _ = server.set_linger(Some(Duration::ZERO));
            }
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            let mut cut = cut_rx.clone();
            cut.borrow_and_update();
            let (lat, buffer) = (faults.latency, faults.buffer);
            let a = tokio::spawn(pump(cr, sw, up.clone(), lat, buffer, l.clone(), true));
            let b = tokio::spawn(pump(sr, cw, down.clone(), lat, buffer, l.clone(), false));
            tokio::spawn(async move {
                let _ = cut.changed().await;
                // Both halves dropped: each end sees its connection reset mid-transfer.
                a.abort();
                b.abort();
            });
        }
    });
    (addr, link)
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    to: tokio::net::tcp::OwnedWriteHalf,
    bucket: Arc<Bucket>,
    latency: Duration,
    buffer: Duration,
    link: Arc<Link>,
    upward: bool,
) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let state = link.clone();
    let mut writer = AbortOnDrop(tokio::spawn(async move {
        let mut to = to;
        while let Some((arrives, bytes)) = rx.recv().await {
            tokio::time::sleep_until(arrives).await;
            if to.write_all(&bytes).await.is_err() {
                return;
            }
            let counter = if upward {
                &link.up_bytes
            } else {
                &link.down_bytes
            };
            counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        let _ = to.shutdown().await;
    }));
    let mut buf = vec![0u8; 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            // A link that goes down cuts the connections already open too (a pooled
            // keep-alive connection must not carry traffic past it); nothing queued is sent.
            Ok(_) if state.down.load(Ordering::Relaxed) => return,
            Ok(n) => {
                if upward {
                    state
                        .first_up
                        .lock()
                        .unwrap()
                        .get_or_insert_with(Instant::now);
                }
                // Serialisation on the shared link, then the propagation delay: bytes in
                // flight overlap, as on a real line. The next piece is read only once the
                // backlog fits in the link's buffer.
                let serialised = bucket.reserve(n);
                if tx.send((serialised + latency, buf[..n].to_vec())).is_err() {
                    break;
                }
                if let Some(room) = serialised.checked_sub(buffer) {
                    tokio::time::sleep_until(room).await;
                }
            }
        }
    }
    drop(tx);
    let _ = (&mut writer.0).await;
}

/// Aborts the writer when the pump is aborted (a cut), so queued bytes are not delivered.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
