using System.Globalization;
using System.Text;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// printf FORMAT [ARG...] with %s, %d/%i, %% (optional '-' and width) and \n \t \\ escapes.
/// The format is reused while arguments remain, as in bash.
/// </summary>
internal sealed class PrintfCommand : ILabCommand
{
    public string Name => "printf";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        if (context.Args.Count == 0)
        {
            await context.ErrAsync("printf: usage: printf [-v var] format [arguments]").ConfigureAwait(false);
            return 2;
        }
        var format = EchoCommand.Unescape(context.Args[0]).Text;
        var args = context.Args.Skip(1).ToList();
        var output = new StringBuilder();
        var status = 0;
        var next = 0;
        do
        {
            var consumed = Format(format, args, ref next, output, ref status, out var errors);
            foreach (var error in errors) await context.ErrAsync(error).ConfigureAwait(false);
            if (!consumed) break; // a format without conversions is printed once
        } while (next < args.Count);

        await context.Stdout.WriteAsync(output.ToString(), context.CancellationToken).ConfigureAwait(false);
        return status;
    }

    private static bool Format(string format, List<string> args, ref int next, StringBuilder output, ref int status, out List<string> errors)
    {
        errors = [];
        var consumed = false;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }
            var start = ++i;
            while (i < format.Length && (format[i] is '-' or '0' || char.IsAsciiDigit(format[i]))) i++;
            if (i >= format.Length) break;
            var spec = format[start..i];
            var conversion = format[i];
            if (conversion == '%')
            {
                output.Append('%');
                continue;
            }
            consumed = true;
            var arg = next < args.Count ? args[next++] : null;
            string text;
            switch (conversion)
            {
                case 's':
                    text = arg ?? "";
                    break;
                case 'd' or 'i':
                    if (arg is null || !long.TryParse(arg, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        if (arg is not null)
                        {
                            errors.Add($"printf: {arg}: invalid number");
                            status = 1;
                        }
                        number = 0;
                    }
                    text = number.ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    errors.Add($"printf: %{conversion}: invalid format character");
                    status = 1;
                    return false;
            }
            output.Append(Pad(text, spec, numeric: conversion != 's'));
        }
        return consumed;
    }

    private static string Pad(string text, string spec, bool numeric)
    {
        var left = spec.Contains('-');
        var digits = spec.TrimStart('-');
        var zero = numeric && !left && digits.StartsWith('0');
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var width) || text.Length >= width) return text;
        if (left) return text.PadRight(width);
        if (!zero) return text.PadLeft(width);
        return text.StartsWith('-') ? "-" + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');
    }
}
