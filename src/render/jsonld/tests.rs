//! Unit tests of `jsonld.rs`.

use super::*;

#[test]
fn json_data_cannot_close_the_script_element() {
    let out =
        sanitize::json_data(&json!({"headline": "</script><script>alert(1)</script> & <!--"}));
    assert!(!out.as_str().contains('<'), "{}", out.as_str());
    assert!(!out.as_str().contains('>'));
    let back: Value = serde_json::from_str(out.as_str()).unwrap();
    assert_eq!(
        back["headline"],
        "</script><script>alert(1)</script> & <!--"
    );
}
