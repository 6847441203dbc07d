//! Headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`): what every browser test starts with.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`
//! (`./test` installs them, or `apt-get install chromium chromium-driver`); without them a test fails
//! and says so.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// axe-core's browser bundle, pinned in `tests/a11y/package.json`.
pub const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/a11y/node_modules/axe-core/axe.min.js");

/// A running chromedriver and one browser session; both end when dropped
/// ([`Browser::close`] first ends the session cleanly).
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Kills chromedriver's whole process group, Chromium with it: a test
    /// that panics before [`Browser::close`] would otherwise leave Chromium
    /// running with its profile folder (killing chromedriver alone orphans it).
    #[allow(unsafe_code, reason = "kill is a system call")]
    fn drop(&mut self) {
        // SAFETY: a plain system call; the group is the one `start` made for
        // chromedriver (its pid), holding only it and the browser it started.
        #[cfg(target_os = "linux")]
        unsafe {
            libc::kill(-(self.driver.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// The browser's profile folder (on its command line as `--user-data-dir`).
    pub fn profile(&self) -> std::path::PathBuf {
        self._profile.path().to_path_buf()
    }

    /// Starts chromedriver on a free port and opens a headless Chromium
    /// session with a fresh profile, `width`×`height` CSS pixels.
    #[allow(unsafe_code, reason = "kill is a system call")]
    pub async fn start(width: u32, height: u32) -> Browser {
        for tool in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(tool).exists(),
                "{tool} is missing: run the tests with ./test, which installs Debian's chromium and chromium-driver (or apt-get install -y chromium chromium-driver)"
            );
        }
        let port = free_port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            // Its own process group, so that dropping the Browser ends Chromium too.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let _ = driver.kill();
                panic!("chromedriver did not start");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match client {
            Ok(client) => client,
            Err(e) => {
                // No Browser to drop: end chromedriver's group here.
                #[cfg(target_os = "linux")]
                // SAFETY: as in `drop`: the group `start` made for chromedriver.
                unsafe {
                    libc::kill(-(driver.id() as libc::pid_t), libc::SIGKILL);
                }
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("WebDriver session with headless Chromium: {e}");
            }
        };
        Browser { client, driver, _profile: profile }
    }

    /// Polls `script` (a JavaScript expression) in the page until it is
    /// true; fails the test after 15 s, naming `what`.
    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        let element =
            self.client.find(fantoccini::Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    pub async fn wait_until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let value = self.client.execute(&format!("return Boolean({script});"), vec![]).await;
            if matches!(value, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the browser session, then chromedriver.
    pub async fn close(self) {
        self.client.clone().close().await.expect("close the browser session");
    }

    /// Runs axe-core (`tests/a11y/node_modules/axe-core`, installed by
    /// `npm ci --prefix tests/a11y`) on the current page with the WCAG 2.1
    /// A/AA rules and returns its serious and critical violations, one
    /// line each: `rule (impact): help — selectors`. Empty means none.
    pub async fn axe(&self) -> Vec<String> {
        let script = std::fs::read_to_string(AXE).unwrap_or_else(|e| {
            panic!(
                "{AXE}: {e}: run the tests with ./test, which installs axe-core for the accessibility checks (or npm ci --prefix tests/a11y)"
            )
        });
        self.eval(&format!("{script}\n;return true;")).await;
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        serde_json::from_value(result).expect("axe's violations as strings")
    }

    /// Runs `script` (a function body; `return` gives the value).
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Runs the DevTools command `cmd` with `params` through chromedriver
    /// (`Emulation.setTimezoneOverride`, `Network.emulateNetworkConditions`,
    /// `Page.printToPDF`…) and returns its result; fails the test naming `cmd`.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let command = Cdp { cmd: cmd.to_string(), params };
        self.client.issue_cmd(command).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }
}

/// chromedriver's DevTools endpoint (`POST /session/{id}/goog/cdp/execute`),
/// as a WebDriver command.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
