import type { searchMethods } from '../../../common/methods/search';
import type { SearchService } from '../search/searchService';
import type { DomainHandlers } from './handlers';

export interface SearchDeps {
  search: Pick<SearchService, 'query'>;
}

export function searchHandlers({ search }: SearchDeps): DomainHandlers<typeof searchMethods> {
  return {
    'search.query': ({ q, limit }, ctx) => search.query(ctx, q, limit),
  };
}
