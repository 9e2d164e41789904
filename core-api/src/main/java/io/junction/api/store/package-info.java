/** Storage of EMSs, connections and credentials, as the rest of the platform sees it. */
@Version("1.2.0")
@Export
package io.junction.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
