//! A response that never ends (a broken proxy, a captive portal): the
//! command stops at the client's size limit and says so in one line on
//! stderr, exit 1, instead of reading it into memory.

mod common;

use acquire::DEFAULT_MAX_RESPONSE_BYTES;
use acquire_mock::Fault;
use common::Fake;

#[test]
fn an_endless_body_is_one_line_naming_the_limit_exit_1() {
    let fake = Fake::start();
    fake.server
        .faults()
        .inject_always("get_case", Fault::Endless);
    let run = fake.acquire(&["cases", "get", "1684"]);
    let line = run.failed(1);
    assert!(
        line.starts_with("error: ")
            && line.contains("larger than the limit")
            && line.contains(&DEFAULT_MAX_RESPONSE_BYTES.to_string()),
        "{line}"
    );
    // Read once: a body past the limit is not fetched again.
    assert_eq!(fake.server.request_count("get_case"), 1);
    fake.stop();
}
