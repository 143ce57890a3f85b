//! Milestone 1, users: register (`POST /users`, 201), log in (`POST /users/login`), the current
//! user (`GET /user`), update the user (`PUT /user`). Every answer is `{"user": {email, token,
//! username, bio, image}}`; the token is an HS256 JWT with `exp`, sent back as
//! `Authorization: Token <jwt>`.

use serde_json::{Value, json};
use testkit::http::Method;

use crate::common::*;

#[tokio::test]
async fn registering_returns_the_user_with_a_token() {
    let blog = start().await;
    let response = blog
        .client
        .post("/users")
        .json(&json!({ "user": {
            "username": "ada",
            "email": "ada@example.com",
            "password": "correct horse battery staple",
        } }))
        .send()
        .await;
    response.expect_status(201);
    let body = json_body(&response);
    // The spec's User has `bio` and `image`, both required strings (not null): what a new user
    // has is not said (an empty string is fine), only that it is a string.
    for field in ["bio", "image"] {
        if !body["user"][field].is_string() {
            response.fail(format!(
                "expected `user.{field}` to be a string (the spec's User requires it, type \
                 string, so not null; an empty string is fine for a new user), got {}",
                body["user"][field]
            ));
        }
    }
    let got = user_with_checked_token(&response, &body);
    let want = json!({ "user": {
        "email": "ada@example.com",
        "token": TOKEN,
        "username": "ada",
        "bio": body["user"]["bio"],
        "image": body["user"]["image"],
    } });
    expect_same(&response, &got, &want);
}

#[tokio::test]
async fn the_token_from_registering_gives_the_current_user() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    for user in [&ada, &bob] {
        let response = blog.client.get("/user").token(&user.token).send().await;
        response.expect_status(200);
        let got = user_with_checked_token(&response, &json_body(&response));
        expect_same(&response, &got, &user_response(user));
    }
}

#[tokio::test]
async fn logging_in_returns_the_user_with_a_token_that_works() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": ada.email, "password": ada.password } }))
        .send()
        .await;
    response.expect_status(200);
    let body = json_body(&response);
    let got = user_with_checked_token(&response, &body);
    expect_same(&response, &got, &user_response(&ada));

    let token = body["user"]["token"].as_str().unwrap();
    let me = blog.client.get("/user").token(token).send().await;
    me.expect_status(200);
    let got = user_with_checked_token(&me, &json_body(&me));
    expect_same(&me, &got, &user_response(&ada));
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_email_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for (email, password) in [
        (ada.email.as_str(), "not-ada-s-password"),
        (ada.email.as_str(), "ADA-PASSWORD-1"),
        ("nobody@example.com", ada.password.as_str()),
    ] {
        let response = blog
            .client
            .post("/users/login")
            .json(&json!({ "user": { "email": email, "password": password } }))
            .send()
            .await;
        expect_error(&response, 401);
    }
}

#[tokio::test]
async fn the_current_user_needs_a_token() {
    let blog = start().await;
    blog.register("ada").await;
    expect_error(&blog.client.get("/user").send().await, 401);
    let update = blog
        .client
        .put("/user")
        .json(&json!({ "user": { "bio": "no token" } }))
        .send()
        .await;
    expect_error(&update, 401);
}

#[tokio::test]
async fn updating_the_user_changes_only_the_fields_given() {
    let blog = start().await;
    let mut ada = blog.register("ada").await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": {
            "bio": "I write programs for the Analytical Engine.",
            "image": "https://example.com/ada.png",
        } }))
        .send()
        .await;
    response.expect_status(200);
    ada.bio = json!("I write programs for the Analytical Engine.");
    ada.image = json!("https://example.com/ada.png");
    let got = user_with_checked_token(&response, &json_body(&response));
    expect_same(&response, &got, &user_response(&ada));

    // A second update of another field keeps the first one's.
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "bio": "Notes on the engine." } }))
        .send()
        .await;
    response.expect_status(200);
    ada.bio = json!("Notes on the engine.");
    let got = user_with_checked_token(&response, &json_body(&response));
    expect_same(&response, &got, &user_response(&ada));

    let me = blog.client.get("/user").token(&ada.token).send().await;
    me.expect_status(200);
    let got = user_with_checked_token(&me, &json_body(&me));
    expect_same(&me, &got, &user_response(&ada));
}

#[tokio::test]
async fn updating_the_email_moves_the_login_to_the_new_email() {
    let blog = start().await;
    let mut ada = blog.register("ada").await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "email": "countess@example.com" } }))
        .send()
        .await;
    response.expect_status(200);
    let old_email = std::mem::replace(&mut ada.email, "countess@example.com".into());
    let got = user_with_checked_token(&response, &json_body(&response));
    expect_same(&response, &got, &user_response(&ada));

    let login = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": "countess@example.com", "password": ada.password } }))
        .send()
        .await;
    login.expect_status(200);
    let got = user_with_checked_token(&login, &json_body(&login));
    expect_same(&login, &got, &user_response(&ada));

    let old = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": old_email, "password": ada.password } }))
        .send()
        .await;
    expect_error(&old, 401);
}

#[tokio::test]
async fn changing_the_password_makes_the_old_one_fail_and_the_new_one_work() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "password": "a much better password" } }))
        .send()
        .await;
    response.expect_status(200);
    let got = user_with_checked_token(&response, &json_body(&response));
    expect_same(&response, &got, &user_response(&ada));

    let old = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": ada.email, "password": ada.password } }))
        .send()
        .await;
    expect_error(&old, 401);
    let new = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": ada.email, "password": "a much better password" } }))
        .send()
        .await;
    new.expect_status(200);
    let got = user_with_checked_token(&new, &json_body(&new));
    expect_same(&new, &got, &user_response(&ada));
}

#[tokio::test]
async fn updating_the_username_renames_the_user_and_frees_the_old_name() {
    let blog = start().await;
    let mut ada = blog.register("ada").await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "username": "countess" } }))
        .send()
        .await;
    response.expect_status(200);
    ada.username = "countess".into();
    let body = json_body(&response);
    let got = user_with_checked_token(&response, &body);
    expect_same(&response, &got, &user_response(&ada));

    // The token the update gave is the one to use from now on.
    let token = body["user"]["token"].as_str().unwrap();
    let me = blog.client.get("/user").token(token).send().await;
    me.expect_status(200);
    let got = user_with_checked_token(&me, &json_body(&me));
    expect_same(&me, &got, &user_response(&ada));

    let newcomer = blog
        .client
        .post("/users")
        .json(&json!({ "user": {
            "username": "ada", "email": "another.ada@example.com", "password": "pw-123456"
        } }))
        .send()
        .await;
    newcomer.expect_status(201);
}

#[tokio::test]
async fn registering_without_a_field_or_with_an_empty_one_is_422() {
    let blog = start().await;
    let full = json!({ "username": "ada", "email": "ada@example.com", "password": "pw-123456" });
    for field in ["username", "email", "password"] {
        let mut missing = full.clone();
        missing.as_object_mut().unwrap().remove(field);
        let mut empty = full.clone();
        empty[field] = json!("");
        let mut null = full.clone();
        null[field] = Value::Null;
        for user in [missing, empty, null] {
            let response = blog
                .client
                .post("/users")
                .json(&json!({ "user": user }))
                .send()
                .await;
            expect_error(&response, 422);
        }
    }
    // None of those made a user: the full one registers.
    blog.client
        .post("/users")
        .json(&json!({ "user": full }))
        .send()
        .await
        .expect_status(201);
}

#[tokio::test]
async fn registering_with_fields_of_the_wrong_type_is_422() {
    let blog = start().await;
    for user in [
        json!({ "username": 42, "email": "ada@example.com", "password": "pw-123456" }),
        json!({ "username": "ada", "email": ["ada@example.com"], "password": "pw-123456" }),
        json!({ "username": "ada", "email": "ada@example.com", "password": 123456 }),
        json!({ "username": "ada", "email": "ada@example.com", "password": { "a": 1 } }),
    ] {
        let response = blog
            .client
            .post("/users")
            .json(&json!({ "user": user }))
            .send()
            .await;
        expect_error(&response, 422);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_lacks_the_user_wrapper_is_422() {
    let blog = start().await;
    let fields = json!({ "username": "ada", "email": "ada@example.com", "password": "pw-123456" });
    for path in ["/users", "/users/login"] {
        for (what, body) in malformed_bodies("user", &fields) {
            let response = send_raw(&blog, Method::POST, path, None, &body).await;
            if response.status() != 422 {
                response.fail(format!(
                    "expected 422 for {what}, got {}",
                    response.status()
                ));
            }
            expect_error(&response, 422);
        }
    }
    // JSON sent without saying so: the contract lets the app answer 415 or 422, in the
    // spec's error shape either way.
    let untyped = blog
        .client
        .post("/users")
        .header("content-type", "text/plain")
        .body(json!({ "user": fields }).to_string())
        .send()
        .await;
    expect_error_in(&untyped, &[415, 422]);
}

#[tokio::test]
async fn registering_a_taken_email_or_username_is_422_naming_it() {
    let blog = start().await;
    blog.register("ada").await;
    for (user, field) in [
        (
            json!({ "username": "other", "email": "ada@example.com", "password": "pw-123456" }),
            "email",
        ),
        // Emails are unique whatever their case.
        (
            json!({ "username": "other", "email": "ADA@Example.com", "password": "pw-123456" }),
            "email",
        ),
        (
            json!({ "username": "ada", "email": "other@example.com", "password": "pw-123456" }),
            "username",
        ),
    ] {
        let response = blog
            .client
            .post("/users")
            .json(&json!({ "user": user }))
            .send()
            .await;
        let messages = expect_error(&response, 422);
        if !messages.iter().any(|m| m.contains(field)) {
            response.fail(format!(
                "expected a message that names the taken field, `{field}` (e.g. \"{field} has \
                 already been taken\")"
            ));
        }
    }
}

#[tokio::test]
async fn logging_in_without_a_field_or_with_an_empty_one_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for user in [
        json!({ "password": ada.password }),
        json!({ "email": ada.email }),
        json!({ "email": "", "password": ada.password }),
        json!({ "email": ada.email, "password": "" }),
        json!({ "email": 42, "password": ada.password }),
    ] {
        let response = blog
            .client
            .post("/users/login")
            .json(&json!({ "user": user }))
            .send()
            .await;
        expect_error(&response, 422);
    }
}

#[tokio::test]
async fn updating_to_a_taken_email_or_username_is_422_and_to_one_s_own_is_not() {
    let blog = start().await;
    blog.register("ada").await;
    let bob = blog.register("bob").await;
    for (user, field) in [
        (json!({ "email": "ada@example.com" }), "email"),
        (json!({ "email": "Ada@EXAMPLE.com" }), "email"),
        (json!({ "username": "ada" }), "username"),
    ] {
        let response = blog
            .client
            .put("/user")
            .token(&bob.token)
            .json(&json!({ "user": user }))
            .send()
            .await;
        let messages = expect_error(&response, 422);
        if !messages.iter().any(|m| m.contains(field)) {
            response.fail(format!(
                "expected a message that names the taken field, `{field}`"
            ));
        }
    }
    // Bob's own email and username are not "taken" from him.
    let response = blog
        .client
        .put("/user")
        .token(&bob.token)
        .json(&json!({ "user": { "email": bob.email, "username": bob.username } }))
        .send()
        .await;
    response.expect_status(200);
    let got = user_with_checked_token(&response, &json_body(&response));
    expect_same(&response, &got, &user_response(&bob));
}

#[tokio::test]
async fn updating_with_empty_or_wrongly_typed_fields_is_422_and_changes_nothing() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for user in [
        json!({ "email": "" }),
        json!({ "username": "" }),
        json!({ "password": "" }),
        json!({ "email": 42 }),
        json!({ "bio": ["a", "list"] }),
        json!({ "image": 7 }),
        json!({ "bio": "a good bio", "username": "" }),
    ] {
        let response = blog
            .client
            .put("/user")
            .token(&ada.token)
            .json(&json!({ "user": user }))
            .send()
            .await;
        expect_error(&response, 422);
    }
    for (what, body) in malformed_bodies("user", &json!({ "bio": "a good bio" })) {
        let response = send_raw(&blog, Method::PUT, "/user", Some(&ada.token), &body).await;
        if response.status() != 422 {
            response.fail(format!(
                "expected 422 for {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 422);
    }
    let me = blog.client.get("/user").token(&ada.token).send().await;
    me.expect_status(200);
    let got = user_with_checked_token(&me, &json_body(&me));
    expect_same(&me, &got, &user_response(&ada));
    let login = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": ada.email, "password": ada.password } }))
        .send()
        .await;
    login.expect_status(200);
}

/// The spec's UpdateUserRequest: "At least **one** field is required."
#[tokio::test]
async fn updating_with_no_field_at_all_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": {} }))
        .send()
        .await;
    expect_error(&response, 422);
}

#[tokio::test]
async fn a_malformed_authorization_header_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for header in [
        "Token".to_string(),
        "Token ".to_string(),
        "Bearer x".to_string(),
        format!("Basic {}", ada.token),
    ] {
        let response = blog
            .client
            .get("/user")
            .header("authorization", &header)
            .send()
            .await;
        expect_error(&response, 401);
    }
}

#[tokio::test]
async fn a_forged_expired_or_tampered_token_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    // The control: ada's own claims signed again with the app's secret are accepted, so each
    // refusal below is about its one flaw.
    let control = blog
        .client
        .get("/user")
        .token(&resigned_token(&ada))
        .send()
        .await;
    control.expect_status(200);
    for (what, token) in bad_tokens(&ada) {
        for method in [Method::GET, Method::PUT] {
            let response = blog
                .client
                .request(method.clone(), "/user")
                .token(&token)
                .json(&json!({ "user": { "bio": "forged" } }))
                .send()
                .await;
            if response.status() != 401 {
                response.fail(format!(
                    "expected 401 for a token {what}, got {}",
                    response.status()
                ));
            }
            expect_error(&response, 401);
        }
    }
    let me = blog.client.get("/user").token(&ada.token).send().await;
    me.expect_status(200);
    let got = user_with_checked_token(&me, &json_body(&me));
    expect_same(&me, &got, &user_response(&ada));
}

/// A RealWorld front end runs on another origin and sends the token in `Authorization`: its
/// browser asks first (a CORS preflight), then sends the request.
#[tokio::test]
async fn a_front_end_on_another_origin_may_send_the_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let origin = "http://localhost:4200";
    let preflight = blog
        .client
        .request(Method::OPTIONS, "/user")
        .header("origin", origin)
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await;
    if !preflight.status().is_success() {
        preflight.fail("expected a 2xx answer to the CORS preflight");
    }
    let listed = |name: &str| -> Vec<String> {
        preflight
            .headers()
            .get_all(name)
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("").split(','))
            .map(|s| s.trim().to_ascii_lowercase())
            .collect()
    };
    let allow_origin = preflight
        .header("access-control-allow-origin")
        .unwrap_or("");
    if allow_origin != "*" && allow_origin != origin {
        preflight.fail(format!(
            "expected access-control-allow-origin `*` or `{origin}`, got {allow_origin:?}"
        ));
    }
    let methods = listed("access-control-allow-methods");
    if !methods.iter().any(|m| m == "put" || m == "*") {
        preflight.fail("expected PUT among access-control-allow-methods");
    }
    // The Fetch standard: `*` never stands for `authorization`, which must be named.
    let headers = listed("access-control-allow-headers");
    if !headers.iter().any(|h| h == "authorization") {
        preflight.fail(
            "expected `authorization` named in access-control-allow-headers (a `*` does not \
             cover it: browsers require it by name)",
        );
    }
    if !headers.iter().any(|h| h == "content-type" || h == "*") {
        preflight.fail("expected content-type among access-control-allow-headers");
    }

    let response = blog
        .client
        .get("/user")
        .header("origin", origin)
        .token(&ada.token)
        .send()
        .await;
    response.expect_status(200);
    let allow_origin = response.header("access-control-allow-origin").unwrap_or("");
    if allow_origin != "*" && allow_origin != origin {
        response.fail(format!(
            "expected access-control-allow-origin `*` or `{origin}`, got {allow_origin:?}"
        ));
    }
}

/// A database that leaks gives away every password stored as typed: what is stored is a hash
/// (argon2, a PHC string `$argon2id$…`), never the password, also after a change.
#[tokio::test]
async fn passwords_are_stored_as_argon2_hashes_never_as_typed() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let new_password = "a brand new secret 42";
    blog.client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "password": new_password } }))
        .send()
        .await
        .expect_status(200);
    let bob = blog.register("bob").await;
    for password in [ada.password.as_str(), new_password, bob.password.as_str()] {
        let columns = columns_holding(&blog.db, password).await;
        assert!(
            columns.is_empty(),
            "the password {password:?} is stored as typed in {columns:?}: store an argon2 hash"
        );
    }
    let hashed = columns_holding(&blog.db, "$argon2").await;
    assert!(
        !hashed.is_empty(),
        "expected the passwords stored as argon2 PHC strings (`$argon2id$v=19$…`, what \
         `PasswordHasher::hash_password(…).to_string()` gives), found none in any text column"
    );
}

/// JSON may carry a NUL character (`\u0000`), which PostgreSQL's text refuses: bad input, so a
/// 4xx answer, never a server error.
#[tokio::test]
async fn a_nul_character_in_a_field_is_refused_not_a_server_error() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog
        .client
        .post("/users")
        .json(&json!({ "user": {
            "username": "nul\u{0}byte", "email": "nul@example.com", "password": "pw-123456"
        } }))
        .send()
        .await;
    expect_error(&response, 422);
    let response = blog
        .client
        .post("/users/login")
        .json(&json!({ "user": { "email": "ada\u{0}@example.com", "password": ada.password } }))
        .send()
        .await;
    expect_error_in(&response, &[401, 422]);
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "bio": "a\u{0}b" } }))
        .send()
        .await;
    expect_error(&response, 422);
}
