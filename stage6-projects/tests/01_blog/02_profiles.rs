//! Milestone 2, profiles: `GET /profiles/{username}` (a token is optional), follow
//! (`POST /profiles/{username}/follow`) and unfollow (`DELETE` the same). Every answer is
//! `{"profile": {username, bio, image, following}}`, where `following` says whether the viewer
//! follows that user: false for an anonymous visitor.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_profile_is_public_and_not_followed_by_an_anonymous_visitor() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog.client.get("/profiles/ada").send().await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
}

#[tokio::test]
async fn a_logged_in_viewer_sees_a_profile_they_do_not_follow() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let response = blog
        .client
        .get("/profiles/ada")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
}

#[tokio::test]
async fn a_profile_shows_the_bio_and_image_the_user_set() {
    let blog = start().await;
    let mut ada = blog.register("ada").await;
    blog.client
        .put("/user")
        .token(&ada.token)
        .json(
            &json!({ "user": { "bio": "Poet of science.", "image": "https://example.com/a.png" } }),
        )
        .send()
        .await
        .expect_status(200);
    ada.bio = json!("Poet of science.");
    ada.image = json!("https://example.com/a.png");
    let response = blog.client.get("/profiles/ada").send().await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
}

#[tokio::test]
async fn following_returns_the_profile_followed() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let response = blog
        .client
        .post("/profiles/ada/follow")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(true) }));
    let response = blog
        .client
        .get("/profiles/ada")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(true) }));
}

#[tokio::test]
async fn following_is_one_way_and_seen_only_by_the_follower() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    blog.follow(&bob, &ada).await;
    for (viewer, following) in [(Some(&bob), true), (Some(&carol), false), (None, false)] {
        let response = get_as(&blog, "/profiles/ada", viewer).await;
        expect_json(
            &response,
            200,
            &json!({ "profile": ada.profile(following) }),
        );
    }
    // Ada does not follow bob back.
    let response = get_as(&blog, "/profiles/bob", Some(&ada)).await;
    expect_json(&response, 200, &json!({ "profile": bob.profile(false) }));
}

#[tokio::test]
async fn unfollowing_returns_the_profile_no_longer_followed() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    blog.follow(&bob, &ada).await;
    let response = blog
        .client
        .delete("/profiles/ada/follow")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
    let response = blog
        .client
        .get("/profiles/ada")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
}

#[tokio::test]
async fn following_twice_or_unfollowing_someone_not_followed_is_not_an_error() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let unfollow = blog
        .client
        .delete("/profiles/ada/follow")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&unfollow, 200, &json!({ "profile": ada.profile(false) }));
    for _ in 0..2 {
        let follow = blog
            .client
            .post("/profiles/ada/follow")
            .token(&bob.token)
            .send()
            .await;
        expect_json(&follow, 200, &json!({ "profile": ada.profile(true) }));
    }
    for _ in 0..2 {
        let unfollow = blog
            .client
            .delete("/profiles/ada/follow")
            .token(&bob.token)
            .send()
            .await;
        expect_json(&unfollow, 200, &json!({ "profile": ada.profile(false) }));
    }
}

#[tokio::test]
async fn an_unknown_username_is_404() {
    let blog = start().await;
    let bob = blog.register("bob").await;
    expect_error(&blog.client.get("/profiles/nobody").send().await, 404);
    expect_error(
        &blog
            .client
            .get("/profiles/nobody")
            .token(&bob.token)
            .send()
            .await,
        404,
    );
    expect_error(
        &blog
            .client
            .post("/profiles/nobody/follow")
            .token(&bob.token)
            .send()
            .await,
        404,
    );
    expect_error(
        &blog
            .client
            .delete("/profiles/nobody/follow")
            .token(&bob.token)
            .send()
            .await,
        404,
    );
}

#[tokio::test]
async fn following_needs_a_valid_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    expect_error(&blog.client.post("/profiles/ada/follow").send().await, 401);
    expect_error(
        &blog.client.delete("/profiles/ada/follow").send().await,
        401,
    );
    for (what, token) in bad_tokens(&bob) {
        let response = blog
            .client
            .post("/profiles/ada/follow")
            .token(&token)
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
    // None of those made bob follow ada.
    let response = blog
        .client
        .get("/profiles/ada")
        .token(&bob.token)
        .send()
        .await;
    expect_json(&response, 200, &json!({ "profile": ada.profile(false) }));
}

/// The contract: where a token is optional, a missing one is an anonymous visitor, but an
/// invalid one is refused rather than ignored.
#[tokio::test]
async fn an_invalid_token_on_a_profile_is_401_not_anonymous() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for (what, token) in bad_tokens(&ada) {
        let response = blog.client.get("/profiles/ada").token(&token).send().await;
        if response.status() != 401 {
            response.fail(format!(
                "expected 401 for a token {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 401);
    }
}
