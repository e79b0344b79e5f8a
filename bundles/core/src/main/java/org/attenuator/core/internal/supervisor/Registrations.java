package org.attenuator.core.internal.supervisor;

/**
 * An event loop's trees by sequence number (the epoll cookie): open addressing over primitive
 * longs, so that looking a tree up on every notification neither boxes nor allocates. Never keyed
 * by fd number, so a reused fd number cannot be confused with an ended tree. Not thread-safe: the
 * loop's thread only.
 */
final class Registrations {

    private long[] keys = new long[64]; // 0: free (sequence numbers start at 1)
    private Tree[] trees = new Tree[64];
    private int size;

    Tree get(long sequence) {
        int mask = keys.length - 1;
        for (int i = slot(sequence, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == sequence) {
                return trees[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    void put(Tree tree) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(tree.sequence, tree);
    }

    void remove(long sequence) {
        int mask = keys.length - 1;
        int i = slot(sequence, mask);
        while (keys[i] != sequence) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        trees[i] = null;
        size--;
        // backward shift: re-place the entries of the run after the hole
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            long k = keys[j];
            Tree t = trees[j];
            keys[j] = 0;
            trees[j] = null;
            size--;
            insert(k, t);
        }
    }

    /** The one tree registered, or null when there are none or several. */
    Tree only() {
        if (size != 1) {
            return null;
        }
        for (Tree t : trees) {
            if (t != null) {
                return t;
            }
        }
        throw new IllegalStateException("size 1 without a tree");
    }

    void forEach(java.util.function.Consumer<Tree> action) {
        for (Tree t : trees.clone()) {
            if (t != null) {
                action.accept(t);
            }
        }
    }

    private void insert(long sequence, Tree tree) {
        int mask = keys.length - 1;
        int i = slot(sequence, mask);
        while (keys[i] != 0 && keys[i] != sequence) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = sequence;
        trees[i] = tree;
    }

    private void grow() {
        long[] oldKeys = keys;
        Tree[] oldTrees = trees;
        keys = new long[oldKeys.length * 2];
        trees = new Tree[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldTrees[i]);
            }
        }
    }

    private static int slot(long sequence, int mask) {
        long h = sequence * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
