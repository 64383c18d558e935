import { SectionCard } from '@atrium/ui';
import { SegmentedControl, Stack, Text, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useId } from 'react';

const SCHEMES: Array<{ value: MantineColorScheme; label: string }> = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'auto', label: 'Same as the system' },
];

/** Theme: light, dark, or following the operating system (saved in this browser). */
export function AppearanceSettings() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const labelId = useId();
  return (
    <SectionCard title="Theme" description="Saved in this browser. The header's sun/moon button switches it too.">
      <Stack gap={6}>
        <Text id={labelId} size="sm" fw={500}>
          Colour scheme
        </Text>
        <SegmentedControl
          aria-labelledby={labelId}
          data={SCHEMES}
          value={colorScheme}
          onChange={(value) => setColorScheme(value as MantineColorScheme)}
          maw={420}
        />
      </Stack>
    </SectionCard>
  );
}
