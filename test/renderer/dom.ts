import type { VueWrapper } from '@vue/test-utils';

type Mounted = Pick<VueWrapper, 'get'>;

/** The text of the element with this data-testid (the test fails if there is none). */
export const textOf = (w: Mounted, id: string): string => w.get(`[data-testid="${id}"]`).text();

/** An attribute of the element with this data-testid (the test fails if there is none). */
export const attrOf = (w: Mounted, id: string, name: string): string | undefined => w.get(`[data-testid="${id}"]`).attributes(name);
