import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Input, Select, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Item } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useDebouncedValue } from '../common/use-debounced-value';
import { type CatalogListState, readCatalogState, toItemsQuery, writeCatalogState } from './catalog-list-state';
import { useItemCategories, useItems } from './catalog-queries';
import { CategoriesPanel } from './categories-panel';
import { ItemFormDrawer } from './item-form-drawer';
import { useItemKindOptions } from './item-kinds';
import { ItemTable } from './item-table';

type CatalogTab = 'items' | 'categories';

/** 品项: the item catalogue (services, goods, drugs, packages, cards) and its categories. */
export const CatalogPage = () => {
  const { t } = useTranslation();
  const canManage = useCan('catalog.manage');
  const errorMessage = useErrorMessage();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readCatalogState(searchParams);
  const tab: CatalogTab = searchParams.get('tab') === 'categories' ? 'categories' : 'items';
  const [searchText, setSearchText] = useState(state.q);
  const debouncedSearch = useDebouncedValue(searchText, 300);
  const [editing, setEditing] = useState<{ item?: Item } | null>(null);
  const kindOptions = useItemKindOptions();
  const categories = useItemCategories();
  const list = useItems(toItemsQuery(state));

  const update = (next: Partial<CatalogListState>) => setSearchParams((current) => writeCatalogState({ ...readCatalogState(current), ...next }, current));

  useEffect(() => {
    setSearchParams((current) => {
      const currentState = readCatalogState(current);
      if (debouncedSearch.trim() === currentState.q.trim()) return current;
      return writeCatalogState({ ...currentState, q: debouncedSearch, page: 1 }, current);
    });
  }, [debouncedSearch, setSearchParams]);

  const switchTab = (next: string) =>
    setSearchParams((current) => {
      const params = new URLSearchParams(current);
      if (next === 'categories') params.set('tab', 'categories');
      else params.delete('tab');
      return params;
    });

  const showCategory = (categoryId: string) =>
    setSearchParams((current) => {
      const params = writeCatalogState({ ...readCatalogState(current), categoryId, page: 1 }, current);
      params.delete('tab');
      return params;
    });

  const itemsTab = (
    <Flex vertical gap="middle">
      <Flex wrap gap="small" align="center">
        <Input.Search
          aria-label={t('catalog.searchLabel')}
          placeholder={t('catalog.searchPlaceholder')}
          allowClear
          enterButton
          style={{ maxWidth: 360 }}
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
          onSearch={(value) => {
            setSearchText(value);
            update({ q: value, page: 1 });
          }}
        />
        <Select
          aria-label={t('catalog.filters.kind')}
          placeholder={t('catalog.filters.kind')}
          allowClear
          style={{ width: 140 }}
          value={state.kind}
          options={kindOptions}
          onChange={(kind) => update({ kind, page: 1 })}
        />
        <Select
          aria-label={t('catalog.filters.category')}
          placeholder={t('catalog.filters.category')}
          allowClear
          style={{ width: 160 }}
          value={state.categoryId}
          loading={categories.isPending}
          options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
          onChange={(categoryId) => update({ categoryId, page: 1 })}
        />
        <Checkbox checked={state.includeInactive} onChange={(event) => update({ includeInactive: event.target.checked, page: 1 })}>
          {t('catalog.filters.includeInactive')}
        </Checkbox>
      </Flex>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <ItemTable
        page={list.data}
        current={state.page}
        pageSize={state.pageSize}
        isLoading={list.isFetching}
        onPageChange={(page, pageSize) => update({ page: pageSize === state.pageSize ? page : 1, pageSize })}
        onEdit={canManage ? (item) => setEditing({ item }) : undefined}
      />
    </Flex>
  );

  return (
    <Card>
      <Flex vertical gap="small">
        <Flex justify="space-between" align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('catalog.title')}
          </Typography.Title>
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
              {t('catalog.create')}
            </Button>
          )}
        </Flex>
        <Tabs
          activeKey={tab}
          onChange={switchTab}
          items={[
            { key: 'items', label: t('catalog.tabs.items'), children: itemsTab },
            { key: 'categories', label: t('catalog.tabs.categories'), children: <CategoriesPanel onShowItems={showCategory} /> },
          ]}
        />
      </Flex>
      <ItemFormDrawer open={editing !== null} item={editing?.item} onClose={() => setEditing(null)} />
    </Card>
  );
};
