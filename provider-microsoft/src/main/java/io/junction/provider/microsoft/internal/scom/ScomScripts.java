package io.junction.provider.microsoft.internal.scom;

import io.junction.provider.microsoft.internal.powershell.PowerShell;
import io.junction.provider.microsoft.internal.powershell.PowerShellScript;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The scripts sent to the SCOM management server. The only value that enters one is the alert
 * criteria, {@code LastModified >= '<UTC time>'}, whose time is formatted here from an
 * {@link Instant} (digits only) and assigned as {@code $criteria='…';} through
 * {@link PowerShellScript#literal(String)}.
 */
final class ScomScripts {
    static final String MODULE = "Import-Module OperationsManager;";
    /** SCOM keeps alert times in UTC; criteria compare with a DateTime literal in this form. */
    static final DateTimeFormatter CRITERIA_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The server does not sort; the handle orders the alerts by LastModified itself. */
    private static final String ALERTS = PowerShell.PREAMBLE + MODULE
            + "New-SCOMManagementGroupConnection -ComputerName localhost;"
            + "ConvertTo-Json -InputObject @(Get-SCOMAlert -Criteria $criteria) -Compress -Depth 1";

    private ScomScripts() {
    }

    static String criteria(Instant since) {
        return "LastModified >= '" + CRITERIA_TIME.format(since) + "'";
    }

    /** Alerts last modified at or after {@code since}, oldest first. */
    static PowerShellScript alertsSince(Instant since) {
        return PowerShellScript.of(ALERTS).with("criteria", criteria(since));
    }
}
