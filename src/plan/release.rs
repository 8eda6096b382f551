//! Promotion carries the artifact: the release an environment verified
//! (its image of every app task), recorded in Consul
//! by its deployment's record step, and the check at the start of a
//! promoted environment's deployment that it deploys exactly that
//! release. `own_images = true` on the promoted environment turns the
//! check off (it deploys a build of its own, documented in language.md §5).

use super::command::Command;
use crate::sema::model::Model;

/// `hecate/<project>/<env>/release`: where `env` records what it verified.
pub fn release_key(model: &Model, env: &str) -> String {
    format!("hecate/{}/{env}/release", model.project.name)
}

/// The release of `model` as compact JSON: `{"images":{"app/task":
/// "image",…}}`, apps and tasks in the spec's order (the same in every
/// environment of one spec). No spec hash: the input hash changes with a
/// comment, and a meaning hash shared by two environments' models does
/// not exist yet.
pub fn release(model: &Model) -> String {
    let mut images = serde_json::Map::new();
    for app in model.apps.values() {
        for t in &app.tasks {
            images.insert(
                format!("{}/{}", app.name, t.name),
                serde_json::Value::String(t.image.clone()),
            );
        }
    }
    serde_json::json!({ "images": images }).to_string()
}

/// Whether some environment promotes from this one (then its record step
/// writes the release).
pub fn is_promoted_from(model: &Model) -> bool {
    model
        .environments
        .iter()
        .any(|e| e.promote_from.as_deref() == Some(model.env.name.as_str()))
}

/// The command a promoted environment runs first, when it checks.
pub fn check(model: &Model) -> Option<Command> {
    let from = model.env.promote_from.as_deref()?;
    if model.env.own_images {
        return None;
    }
    Some(Command::RequireRelease {
        key: release_key(model, from),
        from: from.to_string(),
        env: model.env.name.clone(),
        release: release(model),
    })
}
