package io.junction.api.store;

import io.junction.api.service.EmsEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Events of each EMS, de-duplicated by (EMS, source, provider event id), with the cursor they were read up to. */
@ProviderType
public interface EventStore {

    /**
     * Stores a batch and the cursor after it in one transaction. Events already stored are
     * left out.
     *
     * @return the events of the batch that were new
     */
    List<EmsEvent> store(long emsId, List<EmsEvent> events, String cursorAfter);

    /**
     * Stores a batch and the cursor after it as {@link #store(long, List, String)} does, but only
     * while the fence's lease still holds, checked in the same transaction.
     *
     * @throws LeaseLostException when another node or take-over holds the EMS's lease now; nothing is stored
     */
    List<EmsEvent> store(Fence fence, List<EmsEvent> events, String cursorAfter);

    /** The cursor stored with the last batch, if any. */
    Optional<String> cursor(long emsId);

    /** The newest events, oldest first. */
    List<StoredEvent> latest(long emsId, int limit);

    /** Events stored after the given id, oldest first. */
    List<StoredEvent> after(long emsId, long afterId, int limit);

    long count(long emsId);

    /**
     * Removes events received before {@code olderThan}, and beyond the newest {@code keepPerEms} of each EMS.
     *
     * @return how many were removed
     */
    long trim(Instant olderThan, long keepPerEms);
}
