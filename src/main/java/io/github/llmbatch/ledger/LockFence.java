package io.github.llmbatch.ledger;

/**
 * The instance lock as the code that acts under it sees it: asked right before each ledger
 * save (and so before each upload or batch create, whose intent is saved first) whether this
 * execution still holds the lock. An execution that has lost it must not save or create
 * anything more: another execution owns the instance now.
 */
@FunctionalInterface
public interface LockFence {

    /** @throws LockLostException when this execution no longer holds the instance lock */
    void check();
}
