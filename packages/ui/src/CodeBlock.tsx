import { Button, Code, CopyButton, Group, ScrollArea } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface CodeBlockProps {
  /** The text shown, exactly as given (never interpreted as HTML). */
  code: string;
  /** Names the block for screen readers ("Entity YAML"). */
  label: string;
  /** Long lines wrap instead of scrolling sideways (logs, expressions). Default: they scroll. */
  wrap?: boolean;
  /** Height after which the block scrolls, e.g. `'70vh'`. Default: it grows with its content. */
  maxHeight?: string;
  /** Shows a copy button; its text. `false` (the default) shows none. */
  copyLabel?: string | false;
  /** Shown next to the copy button (a line count, a language). */
  caption?: ReactNode;
}

/**
 * Pre-formatted text in a monospace block: YAML, definitions, logs, expressions. Focusable, so
 * a keyboard user can scroll it, with an optional copy button above it.
 */
export function CodeBlock(props: CodeBlockProps) {
  const { code, label, wrap = false, maxHeight, copyLabel = false, caption } = props;
  const block = (
    <Code
      block
      tabIndex={0}
      aria-label={label}
      style={{ whiteSpace: wrap ? 'pre-wrap' : 'pre', overflowWrap: wrap ? 'anywhere' : undefined, fontSize: 'var(--mantine-font-size-xs)' }}
    >
      {code}
    </Code>
  );
  return (
    <>
      {(copyLabel !== false || caption) && (
        <Group justify="space-between" gap="sm">
          <div>{caption}</div>
          {copyLabel !== false && (
            <CopyButton value={code}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="default"
                  onClick={copy}
                  leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                >
                  {copied ? 'Copied' : copyLabel}
                </Button>
              )}
            </CopyButton>
          )}
        </Group>
      )}
      {maxHeight ? (
        <ScrollArea.Autosize mah={maxHeight} type="auto">
          {block}
        </ScrollArea.Autosize>
      ) : (
        block
      )}
    </>
  );
}
