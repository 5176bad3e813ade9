import { describe, expect, it } from 'vitest';
import { readCiContext } from '../../../src/core/ci/event.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('readCiContext', () => {
  it('Actions: the default branch comes from the payload\'s repository', () => {
    const payload = JSON.stringify({ ref: 'refs/heads/topic', before: A, after: B, created: false, forced: false, deleted: false, repository: { default_branch: 'trunk' } });
    const ci = readCiContext({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/event.json' }, () => payload);
    expect(ci.defaultBranch).toBe('trunk');
    expect(ci.event).toMatchObject({ kind: 'push', branch: 'topic', before: A, after: B });
  });

  it('Actions: no repository in the payload leaves the default branch to be found out', () => {
    const ci = readCiContext({ FORGEJO_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/e' }, () => JSON.stringify({ ref: 'refs/heads/x', before: A, after: B }));
    expect(ci.provider).toBe('forgejo');
    expect(ci.defaultBranch).toBeUndefined();
  });

  it('GitLab: the default branch from CI_DEFAULT_BRANCH', () => {
    const ci = readCiContext({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'topic', CI_COMMIT_BEFORE_SHA: A, CI_COMMIT_SHA: B, CI_DEFAULT_BRANCH: 'main' }, () => '');
    expect(ci.defaultBranch).toBe('main');
  });

  it('GitLab: a tag pipeline names the tagged commit, the tag object is then the ref\'s', () => {
    const ci = readCiContext({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1', CI_COMMIT_SHA: B, CI_DEFAULT_BRANCH: 'main' }, () => '');
    expect(ci.event).toEqual({ kind: 'tag', tag: 'v1', after: B, deleted: false, peeled: true });
  });

  it('GitLab: a push is never marked forced (the guard finds out from the history)', () => {
    const ci = readCiContext({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'topic', CI_COMMIT_BEFORE_SHA: A, CI_COMMIT_SHA: B }, () => '');
    expect(ci.event).toEqual({ kind: 'push', before: A, after: B, branch: 'topic', created: false, forced: false, deleted: false });
  });
});
