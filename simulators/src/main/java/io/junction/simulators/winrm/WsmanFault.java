package io.junction.simulators.winrm;

/** A SOAP 1.2 fault with a WS-Management fault detail, answered with HTTP 500 as Windows does. */
final class WsmanFault extends Exception {
    static final String WSMAN_FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";
    static final String ADDRESSING_FAULT_ACTION = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault";

    final String action;
    final String code;
    final String subcode;
    final String reason;
    final long wsmanCode;
    final String detailMessage;

    WsmanFault(String action, String code, String subcode, String reason, long wsmanCode, String detailMessage) {
        super(reason + " " + detailMessage);
        this.action = action;
        this.code = code;
        this.subcode = subcode;
        this.reason = reason;
        this.wsmanCode = wsmanCode;
        this.detailMessage = detailMessage;
    }

    static WsmanFault invalidXml(String why) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:SchemaValidationError",
                "The SOAP XML in the message does not match the corresponding XML schema definition. Change the XML and retry. ",
                2150858817L, "The WS-Management service cannot process the request because the XML is invalid: " + why);
    }

    static WsmanFault headerRequired(String header) {
        return new WsmanFault(ADDRESSING_FAULT_ACTION, "s:Sender", "a:MessageInformationHeaderRequired",
                "A required header representing a Message Addressing Property is not present",
                2150858826L, "The WS-Management service cannot process the request because the header " + header + " is missing.");
    }

    static WsmanFault actionNotSupported(String action) {
        return new WsmanFault(ADDRESSING_FAULT_ACTION, "s:Sender", "a:ActionNotSupported",
                "The action is not supported by the service.", 2150858770L,
                "The WS-Management service cannot process the request because the action " + action + " is not supported for this resource.");
    }

    static WsmanFault invalidResourceUri(String uri) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:DestinationUnreachable",
                "No route can be determined to reach the destination role defined by the WS-Addressing To.",
                2150858770L, "The WS-Management service cannot process the request. The resource URI (" + uri
                        + ") was not found in the WS-Management catalog.");
    }

    static WsmanFault shellNotFound(String shellId) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:InvalidSelectors",
                "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ",
                2150858843L, "The request for the Windows Remote Shell with ShellId " + shellId
                        + " failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect"
                        + " or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation. ");
    }

    static WsmanFault commandNotFound(String commandId) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:InvalidParameter",
                "The parameter is incorrect. ", 2150858832L,
                "The Windows Remote Shell received a request to perform an operation on a command identifier (" + commandId
                        + ") that does not exist. Either the command has completed execution or the client specified an invalid"
                        + " command identifier. Provide the correct command identifier and try again. ");
    }

    static WsmanFault timedOut() {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Receiver", "w:TimedOut",
                "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ",
                2150858793L, "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ");
    }

    static WsmanFault commandLineTooLong(int length) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:InvalidParameter",
                "The parameter is incorrect. ", 2150859180L,
                "The command line is too long: " + length + " characters, at most 8191 are allowed. ");
    }

    static WsmanFault invalidParameter(String message) {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:Sender", "w:InvalidParameter", "The parameter is incorrect. ",
                2150858882L, message);
    }

    static WsmanFault versionMismatch() {
        return new WsmanFault(WSMAN_FAULT_ACTION, "s:VersionMismatch", null,
                "The envelope namespace is not the SOAP 1.2 namespace http://www.w3.org/2003/05/soap-envelope. ",
                2150858817L, "The WS-Management service supports SOAP 1.2 envelopes only. ");
    }
}
