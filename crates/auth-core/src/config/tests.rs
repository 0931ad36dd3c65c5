use super::*;

#[test]
fn placeholder_client_id_is_refused_and_named() {
    let err = check_not_placeholder("clientId", "Enter_the_Application_Id_Here").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`clientId` still holds the tutorial placeholder `Enter_the_Application_Id_Here`: put your app registration's value there"
    );
}

#[test]
fn a_real_client_id_passes() {
    assert_eq!(
        check_not_placeholder("clientId", "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f"),
        Ok(())
    );
}
