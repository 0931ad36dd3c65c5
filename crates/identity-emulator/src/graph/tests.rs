use super::html_to_text;

#[test]
fn html_bodies_become_their_text() {
    assert_eq!(
        html_to_text("<p>Hello <b>Adele</b>,</p><p>the report &amp; the &lt;draft&gt;.</p>"),
        " Hello Adele, the report & the <draft>."
    );
    // Script and style content is not text; a doubly escaped entity stays escaped once.
    assert_eq!(
        html_to_text("<style>p{}</style><script>alert(1)</script>a &amp;lt; b<br>c"),
        "a &lt; b c"
    );
    assert_eq!(html_to_text("plain text"), "plain text");
}
