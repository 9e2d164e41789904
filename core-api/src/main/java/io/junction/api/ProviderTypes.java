package io.junction.api;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The provider types installed right now; they come and go with their bundles. */
public interface ProviderTypes {
    /** Installed types, sorted by id. */
    List<ProviderType> all();

    /** The installed type with that id. */
    default Optional<ProviderType> find(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * The installed type with that id.
     *
     * @throws InvalidInputException listing the installed types when there is none
     */
    default ProviderType require(String id) {
        return find(id).orElseThrow(() -> {
            List<ProviderType> installed = all();
            return new InvalidInputException("unknown provider type " + ShownText.quote(id) + "; installed types: "
                    + (installed.isEmpty() ? "none" : installed.stream().map(ProviderType::id).collect(Collectors.joining(", "))));
        });
    }
}
