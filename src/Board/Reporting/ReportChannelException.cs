namespace EdgeRuntime.Board.Reporting;

/// <summary>A report URI that cannot be used (bad syntax, device missing); the message says why.</summary>
public sealed class ReportChannelException(string message) : IOException(message);
