using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>A log provider that keeps what the console's logging rules let through, as a file sink would write it.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception)
    {
        /// <summary>About what a console or file logger writes for this entry (message, then the exception with its stack).</summary>
        public int WrittenLength => Category.Length + Message.Length + (Exception?.ToString().Length ?? 0) + 16;
    }

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
