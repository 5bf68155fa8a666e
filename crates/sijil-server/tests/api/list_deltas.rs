//! The lists as signed deltas (issue 5, with issue 6): a node that holds version V receives
//! only the changes since V; a node with no list, or one whose list is not the central's, or
//! whose chain the central pruned, gets the whole list; replayed, forged and out-of-order
//! deltas change nothing; what the node keeps verifies again from the trust list alone.

use std::time::Duration;

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde_json::json;
use sijil_docs::{RevocationList, TrustList, credential::delta};
use sijil_server::sync::{
    SyncContext,
    client::DownlinkBody,
    downlink_answer, downlink_context_for,
    list_deltas::{self, ListUpdate, ListsHeld},
    lists, office,
};
use sijil_store::Actor;

use crate::{
    helpers::{TestApp, person, spawn_central},
    lists::{Office, enrolled_office, finding_codes},
};

/// The answer the central would give `node` now, opened as the node opens it.
async fn answer(central: &SyncContext, node: &Office, held: &ListsHeld) -> (usize, DownlinkBody) {
    let key_id = node.ctx.office().unwrap().device.id().to_string();
    let since = office::downlink_version(&node.ctx).await.unwrap();
    let (sealed, _) = downlink_answer(central, &key_id, since, held)
        .await
        .unwrap();
    let plain = sijil_sync::downlink::open_as_device(
        &node.ctx.office().unwrap().device,
        &downlink_context_for(since, &key_id, held),
        &sealed,
    )
    .unwrap();
    (sealed.len(), serde_json::from_slice(&plain).unwrap())
}

fn revocation_part(body: &DownlinkBody) -> Option<&ListUpdate> {
    body.lists.iter().find(|u| u.kind == lists::REVOCATION_KIND)
}

async fn report(central: &TestApp, clerk: &str, doc_id: &str, status: &str) {
    let r = central
        .post(
            &format!("/api/v1/documents/{doc_id}/status"),
            clerk,
            &json!({"status": status, "note": "report"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// A card for a person of their own (cards of one person cancel each other).
async fn card_for(central: &TestApp, clerk: &str, first: &str, born: &str) -> (String, String) {
    let reg: serde_json::Value = central
        .register(clerk, person(first, "M", born))
        .await
        .json()
        .await
        .unwrap();
    let person_id = reg["person_id"].as_str().unwrap();
    let r = central
        .post(
            &format!("/api/v1/persons/{person_id}/id-card"),
            clerk,
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let card: serde_json::Value = r.json().await.unwrap();
    (
        card["id"].as_str().unwrap().to_owned(),
        card["credential"].as_str().unwrap().to_owned(),
    )
}

fn actor() -> Actor {
    Actor::system(sijil_core::OfficeCode::parse("DAM-01").unwrap())
}

#[tokio::test]
async fn a_node_receives_only_the_changes_since_its_version_and_refuses_what_does_not_chain() {
    let (central, central_state) = spawn_central(true).await;
    let clerk = central.user_with_role("clerk.one", "clerk").await;
    let admin = central.admin_token().await;
    let (node, client, key_id) = enrolled_office(&central, &admin).await;
    let ctx = central_state.sync().unwrap().clone();
    let (doc1, qr1) = card_for(&central, &clerk, "سامر", "1990-04-12").await;
    let (doc2, qr2) = card_for(&central, &clerk, "باسل", "1985-01-30").await;
    let (doc3, qr3) = card_for(&central, &clerk, "وسيم", "1972-09-03").await;
    lists::publish(&central_state, Duration::ZERO)
        .await
        .unwrap();

    // A node with no list gets the whole list.
    let (_, body) = answer(&ctx, &node, &ListsHeld::nothing()).await;
    let part = revocation_part(&body).unwrap();
    assert!(part.whole.is_some() && part.deltas.is_empty(), "{part:?}");
    assert!(
        body.entries
            .iter()
            .all(|e| e.kind != lists::REVOCATION_KIND)
    );
    office::pull_downlink(&node.ctx, &client).await.unwrap();
    let v1 = node.ctx.lists.held().unwrap().revocations.clone();
    let (_, body) = answer(&ctx, &node, &node.ctx.lists.held_state()).await;
    assert!(body.lists.is_empty(), "up to date: nothing to send");

    // One card reported stolen: the node holding v1 is sent one small signed delta.
    report(&central, &clerk, &doc1, "stolen").await;
    lists::publish(&central_state, Duration::ZERO)
        .await
        .unwrap();
    let held = node.ctx.lists.held_state();
    let (delta_size, body) = answer(&ctx, &node, &held).await;
    let part = revocation_part(&body).unwrap().clone();
    assert!(part.whole.is_none() && part.deltas.len() == 1, "{part:?}");
    let (whole_size, _) = answer(&ctx, &node, &ListsHeld::nothing()).await;
    assert!(delta_size < whole_size, "{delta_size} < {whole_size}");
    office::pull_downlink(&node.ctx, &client).await.unwrap();
    let (_, verdict) = node.verify(&qr1).await;
    assert!(
        finding_codes(&verdict).contains(&"reported_stolen".to_owned()),
        "{verdict}"
    );
    let v2 = node.ctx.lists.held().unwrap().revocations.clone();
    assert!(v2.version > v1.version);

    // The same delta again (a replayed answer or file) changes nothing.
    let taken = list_deltas::take_updates(
        &node.store,
        &node.ctx.lists,
        std::slice::from_ref(&part),
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(taken, 0);
    assert_eq!(node.ctx.lists.held().unwrap().revocations, v2);

    // A delta with a changed byte, however well it chains, changes nothing.
    let mut bytes = BASE64.decode(&part.deltas[0]).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    let forged = ListUpdate {
        deltas: vec![BASE64.encode(&bytes)],
        ..part.clone()
    };
    let taken = list_deltas::take_updates(&node.store, &node.ctx.lists, &[forged], &actor())
        .await
        .unwrap();
    assert_eq!(taken, 0);

    // Two more changes; the second delta offered alone (the first missed) is refused, then
    // the node's own question gets both, in order.
    report(&central, &clerk, &doc2, "lost").await;
    lists::publish(&central_state, Duration::ZERO)
        .await
        .unwrap();
    let (_, after_first) = answer(&ctx, &node, &node.ctx.lists.held_state()).await;
    report(&central, &clerk, &doc3, "stolen").await;
    lists::publish(&central_state, Duration::ZERO)
        .await
        .unwrap();
    let (_, both) = answer(&ctx, &node, &node.ctx.lists.held_state()).await;
    let both = revocation_part(&both).unwrap().clone();
    assert_eq!(both.deltas.len(), 2);
    assert_eq!(
        revocation_part(&after_first).unwrap().deltas[0],
        both.deltas[0]
    );
    let second_only = ListUpdate {
        deltas: vec![both.deltas[1].clone()],
        ..both.clone()
    };
    let taken = list_deltas::take_updates(&node.store, &node.ctx.lists, &[second_only], &actor())
        .await
        .unwrap();
    assert_eq!(taken, 0, "out of order: refused");
    assert_eq!(node.ctx.lists.held().unwrap().revocations, v2);
    office::pull_downlink(&node.ctx, &client).await.unwrap();
    for qr in [&qr2, &qr3] {
        let (_, verdict) = node.verify(qr).await;
        assert_eq!(verdict["valid"], false, "{verdict}");
    }
    let v4 = node.ctx.lists.held().unwrap().revocations.clone();

    // What the node keeps on disk is the whole list it got plus the signed deltas after it,
    // and reads back, from the trust list alone, to exactly the list it verifies with.
    let dir = node.dir.path();
    let trust =
        TrustList::from_json(&std::fs::read_to_string(dir.join(lists::TRUST_FILE)).unwrap())
            .unwrap();
    let deltas = delta::read_delta_file(
        &std::fs::read(dir.join(list_deltas::REVOCATION_DELTAS_FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(deltas.len(), 3);
    let on_disk: RevocationList = delta::open_chain(
        &std::fs::read(dir.join(lists::REVOCATIONS_FILE)).unwrap(),
        &deltas,
        &trust,
    )
    .unwrap();
    assert_eq!(on_disk, v4);
    // And so does a restarted node, from its store.
    let restarted = lists::Lists::default();
    assert!(lists::load_held(&node.store, &restarted).await.unwrap());
    assert_eq!(restarted.held().unwrap().revocations, v4);
    assert_eq!(restarted.held_state(), node.ctx.lists.held_state());

    // A node whose list is not the central's (same version, other content) gets the whole list.
    let mut drifted = node.ctx.lists.held_state();
    let text = drifted.revocation.clone().unwrap();
    let (version, _) = text.split_once(':').unwrap();
    drifted.revocation = Some(format!("{version}:{}", "0".repeat(64)));
    let (_, body) = answer(&ctx, &node, &drifted).await;
    assert!(revocation_part(&body).unwrap().whole.is_some());
    // So does a node at v1 once the central pruned the chain from v1.
    let at_v1 = ListsHeld {
        revocation: Some(format!(
            "{}:{}",
            v1.version,
            hex::encode(delta::content_digest(&v1))
        )),
        ..drifted.clone()
    };
    let (_, body) = answer(&ctx, &node, &at_v1).await;
    assert_eq!(revocation_part(&body).unwrap().deltas.len(), 3);
    ctx.store
        .prune_list_deltas(
            lists::REVOCATION_KIND,
            i64::try_from(v2.version).unwrap(),
            &actor(),
        )
        .await
        .unwrap();
    let (_, body) = answer(&ctx, &node, &at_v1).await;
    let part = revocation_part(&body).unwrap();
    assert!(part.whole.is_some() && part.deltas.is_empty(), "{part:?}");

    // A central from before deltas seals its answer without the list versions asked: the node
    // still opens it.
    let since = office::downlink_version(&node.ctx).await.unwrap();
    let (sealed, sig) = downlink_answer(&ctx, &key_id, since, &ListsHeld::default())
        .await
        .unwrap();
    office::take_downlink(
        &node.ctx,
        since,
        &node.ctx.lists.held_state(),
        &sealed,
        &sig,
    )
    .await
    .unwrap();

    // The central keeps one whole list of each kind, however many times they changed.
    let kept = ctx.store.downlink_since(0, 500).await.unwrap();
    assert_eq!(
        kept.iter()
            .filter(|e| e.kind == lists::REVOCATION_KIND)
            .count(),
        1
    );
}

#[test]
fn deltas_are_pruned_once_a_chain_through_them_outweighs_the_whole_list() {
    let row = |version: i64, len: usize| sijil_store::ListDeltaRow {
        kind: "revocation".into(),
        version,
        base_version: version - 1,
        base_digest: String::new(),
        bytes: vec![0; len],
    };
    let deltas = [row(2, 400), row(3, 300), row(4, 300), row(5, 300)];
    assert_eq!(lists::prunable_through(&deltas, 1000), Some(2));
    assert_eq!(lists::prunable_through(&deltas, 900), Some(3));
    assert_eq!(lists::prunable_through(&deltas, 5000), None);
}
