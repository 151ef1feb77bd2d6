//! The CI pipelines `tootbridge init --ci` writes. The templates are the one
//! source of truth: compiled in here, and shown verbatim in the README (a
//! test compares them). They hold no site-specific text, so a pipeline is
//! the same file for every site and the README copy is exactly what a user
//! gets.

use std::path::{Path, PathBuf};

/// A CI system `init --ci` writes a pipeline for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiSystem {
    Gitlab,
    Github,
}

impl CiSystem {
    /// Every system, for tests and docs.
    pub const ALL: [CiSystem; 2] = [CiSystem::Gitlab, CiSystem::Github];

    /// Where the pipeline lives, relative to the site (= repository) root.
    pub fn path(self) -> &'static Path {
        Path::new(match self {
            CiSystem::Gitlab => ".gitlab-ci.yml",
            CiSystem::Github => ".github/workflows/tootbridge.yml",
        })
    }

    /// The pipeline's text.
    pub fn template(self) -> &'static str {
        match self {
            CiSystem::Gitlab => include_str!("gitlab-ci.yml"),
            CiSystem::Github => include_str!("github-workflow.yml"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CiSystem::Gitlab => "GitLab CI",
            CiSystem::Github => "GitHub Actions",
        }
    }
}

/// The pipeline file for `system` in the site folder `dir`.
pub(crate) fn pipeline_path(dir: &Path, system: CiSystem) -> PathBuf {
    dir.join(system.path())
}
