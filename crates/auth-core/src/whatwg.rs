//! Absolute URLs, parsed and serialized by the WHATWG URL Standard: by the `url` crate
//! natively, and in a browser by the browser's own `URL`, which implements the same standard.
//! The page then carries no URL parser of its own (docs/benchmarks.md).
//!
//! Natively, [`Url`], [`Host`] and [`ParseError`] are the `url` crate's. On wasm32 they are
//! small types of this module with the same names and the methods auth-core and its callers
//! use, so code written against one compiles against the other; `tests/flow.rs` checks that
//! both answer alike.

#[cfg(not(target_arch = "wasm32"))]
pub use url::{Host, ParseError, Url};

#[cfg(target_arch = "wasm32")]
pub use browser::{Host, Origin, ParseError, QueryPairs, Url};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::fmt;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// An absolute URL, as the browser's `URL` parsed and serialized it.
    #[derive(Clone, PartialEq, Eq, Hash)]
    pub struct Url {
        /// The serialization (`href`).
        href: String,
        /// The scheme, without its `:`.
        scheme: String,
        /// The host as serialized (`hostname`: an IPv6 address in brackets); empty when none.
        host: String,
        /// The port, when not the scheme's default.
        port: Option<u16>,
        path: String,
        origin: String,
    }

    /// The host of a URL, as the `url` crate classifies it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Host<S = String> {
        /// A domain name (or, for a non-special scheme, an opaque host).
        Domain(S),
        /// An IPv4 address.
        Ipv4(Ipv4Addr),
        /// An IPv6 address.
        Ipv6(Ipv6Addr),
    }

    /// The browser's `URL` refused the input: not an absolute URL.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ParseError;

    impl fmt::Display for ParseError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the browser's URL parser refused it")
        }
    }

    impl std::error::Error for ParseError {}

    /// A URL's origin (URL Standard §4.5), as the `url` crate offers it.
    pub struct Origin<'a>(&'a str);

    impl Origin<'_> {
        /// The origin's serialization: `scheme://host[:port]`, or `null` for an opaque one.
        pub fn ascii_serialization(&self) -> String {
            self.0.to_owned()
        }
    }

    impl Url {
        /// Parses an absolute URL.
        pub fn parse(input: &str) -> Result<Url, ParseError> {
            let parsed = web_sys::Url::new(input).map_err(|_| ParseError)?;
            Ok(Url::read(&parsed))
        }

        fn read(parsed: &web_sys::Url) -> Url {
            let protocol = parsed.protocol();
            Url {
                href: parsed.href(),
                scheme: protocol.strip_suffix(':').unwrap_or(&protocol).to_owned(),
                host: parsed.hostname(),
                // `port` is empty for none and for the scheme's default, as `Url::port` is.
                port: parsed.port().parse().ok(),
                path: parsed.pathname(),
                origin: parsed.origin(),
            }
        }

        /// The serialization.
        pub fn as_str(&self) -> &str {
            &self.href
        }

        /// The scheme, lower case, without its `:`.
        pub fn scheme(&self) -> &str {
            &self.scheme
        }

        /// The host as serialized (an IPv6 address in brackets), if any.
        pub fn host_str(&self) -> Option<&str> {
            (!self.host.is_empty()).then_some(self.host.as_str())
        }

        /// The host, classified as the `url` crate does: only a special scheme's hosts are
        /// IPv4 addresses, and a bracketed host is IPv6 under any scheme (URL Standard §3.5).
        pub fn host(&self) -> Option<Host<&str>> {
            let host = self.host_str()?;
            if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
                return v6.parse().ok().map(Host::Ipv6);
            }
            match host.parse() {
                Ok(v4) if self.is_special() => Some(Host::Ipv4(v4)),
                _ => Some(Host::Domain(host)),
            }
        }

        /// The port, unless it is the scheme's default.
        pub fn port(&self) -> Option<u16> {
            self.port
        }

        /// The port, or the scheme's default (URL Standard §4.1, "default port").
        pub fn port_or_known_default(&self) -> Option<u16> {
            self.port.or(match self.scheme() {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                "ftp" => Some(21),
                _ => None,
            })
        }

        /// The path, as serialized.
        pub fn path(&self) -> &str {
            &self.path
        }

        /// The query without its `?`: `None` when the URL has no `?`, as the `url` crate
        /// tells "no query" from an empty one (the browser's `search` does not).
        pub fn query(&self) -> Option<&str> {
            let before_fragment = self.before_fragment();
            // In a serialization the first `?` starts the query: the URL Standard
            // percent-encodes it in userinfo and paths.
            before_fragment.split_once('?').map(|(_, q)| q)
        }

        /// The fragment without its `#`, `None` when the URL has no `#`.
        pub fn fragment(&self) -> Option<&str> {
            self.href.split_once('#').map(|(_, f)| f)
        }

        fn before_fragment(&self) -> &str {
            self.href.split_once('#').map_or(&self.href, |(u, _)| u)
        }

        /// The origin.
        pub fn origin(&self) -> Origin<'_> {
            Origin(&self.origin)
        }

        /// Appends `application/x-www-form-urlencoded` pairs to the query, as the `url`
        /// crate's `query_pairs_mut` does: after a `&` when the query already has some.
        pub fn query_pairs_mut(&mut self) -> QueryPairs<'_> {
            QueryPairs {
                url: self,
                pairs: form_urlencoded::Serializer::new(String::new()),
            }
        }

        fn is_special(&self) -> bool {
            matches!(
                self.scheme(),
                "http" | "https" | "ws" | "wss" | "ftp" | "file"
            )
        }
    }

    /// Pairs being appended to a URL's query; written into the URL when dropped.
    pub struct QueryPairs<'a> {
        url: &'a mut Url,
        pairs: form_urlencoded::Serializer<'static, String>,
    }

    impl QueryPairs<'_> {
        /// Appends one pair.
        pub fn append_pair(&mut self, name: &str, value: &str) -> &mut Self {
            self.pairs.append_pair(name, value);
            self
        }
    }

    impl Drop for QueryPairs<'_> {
        fn drop(&mut self) {
            let pairs = self.pairs.finish();
            let fragment = self.url.fragment().map(|f| format!("#{f}"));
            // As the `url` crate: the URL has a query afterwards, if only an empty one.
            let href = match self.url.before_fragment().split_once('?') {
                Some((_, query)) if pairs.is_empty() && !query.is_empty() => return,
                Some((base, query)) if !query.is_empty() => format!("{base}?{query}&{pairs}"),
                Some((base, _)) => format!("{base}?{pairs}"),
                None => format!("{}?{pairs}", self.url.before_fragment()),
            } + fragment.as_deref().unwrap_or_default();
            // The serialization of a URL, with a query of percent-encoded pairs: the browser
            // parses it back as it is, so the `Err` arm is never taken.
            if let Ok(url) = Url::parse(&href) {
                *self.url = url;
            }
        }
    }

    impl fmt::Display for Url {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.href)
        }
    }

    impl fmt::Debug for Url {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_tuple("Url").field(&self.href).finish()
        }
    }

    impl serde::Serialize for Url {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&self.href)
        }
    }
}
