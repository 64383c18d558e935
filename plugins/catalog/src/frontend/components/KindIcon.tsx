import { IconApi, IconBox, IconCategory, IconDatabase, IconMapPin, IconSitemap, IconTemplate, IconUser, IconUsersGroup, IconWorld } from '@tabler/icons-react';

const ICONS = {
  component: IconBox,
  api: IconApi,
  resource: IconDatabase,
  system: IconSitemap,
  domain: IconWorld,
  group: IconUsersGroup,
  user: IconUser,
  location: IconMapPin,
  template: IconTemplate,
} as const;

/** A decorative icon for an entity kind; the kind's name next to it carries the meaning. */
export function KindIcon(props: { kind: string; size?: number }) {
  const Icon = ICONS[props.kind.toLowerCase() as keyof typeof ICONS] ?? IconCategory;
  return <Icon size={props.size ?? 16} stroke={1.6} aria-hidden style={{ flexShrink: 0 }} />;
}
